package dev.vigil.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ImagesTest {
  @Test
  void renderedAgentImageIsTheOneJibBuilds() throws Exception {
    // Tests run in the module directory; the parent POM names the image Jib tags.
    String pom = Files.readString(Path.of("..", "pom.xml"));
    Matcher m = Pattern.compile("<vigil.agent.image>([^<]+)</vigil.agent.image>").matcher(pom);
    assertThat(m.find()).as("vigil.agent.image property in the parent POM").isTrue();
    assertThat(Images.VIGIL_AGENT).isEqualTo(m.group(1));
    assertThat(Files.readString(Path.of("..", "vigil-cli", "pom.xml")))
        .contains("<image>${vigil.agent.image}</image>");
  }
}
