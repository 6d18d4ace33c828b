package dev.vigil.base.input;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.DocumentStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;

/**
 * Bounds on one YAML or JSON text, checked on the parser's event stream before anything builds a
 * tree from it: how deep collections nest (the composer recurses, so a few thousand levels overflow
 * the stack), how many nodes the document has once every alias is expanded (a 600-byte file of
 * aliases can stand for billions of nodes), how long one scalar is, and how many documents a stream
 * holds. An alias inside the collection it names is refused too: such a recursive structure has no
 * finite expansion, and merging one into itself ({@code &a {<<: *a}}) sends snakeyaml-engine's
 * composer into an endless loop. Syntax errors are left for the real parse to report.
 */
public record YamlLimits(
    int maxDepth, long maxExpandedNodes, int maxScalarLength, int maxDocuments) {
  /** Limits for specs and overlays: far above any real station, far below any harm. */
  public static final YamlLimits SPEC = new YamlLimits(64, 200_000, 1 << 20, 1);

  /** Limits for manifests and configs under lint: large Kustomize outputs pass. */
  public static final YamlLimits MANIFESTS = new YamlLimits(128, 5_000_000, 8 << 20, 100_000);

  public YamlLimits {
    if (maxDepth < 1 || maxExpandedNodes < 1 || maxScalarLength < 1 || maxDocuments < 1) {
      throw new IllegalArgumentException("YAML limits must be positive");
    }
  }

  /**
   * Checks {@code text}, named {@code source} in errors.
   *
   * @throws InputException at the line and column where a limit is first passed
   */
  public void check(String source, String text) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(source)
            .setCodePointLimit(Integer.MAX_VALUE)
            .setBufferSize(readBufferFor(text))
            .setUseMarks(true)
            .build();
    int depth = 0;
    int documents = 0;
    long nodes = 0;
    // Expanded size of each anchored node, and the open anchored collections being measured.
    Map<String, Long> anchorSize = new HashMap<>();
    Deque<String> openAnchors = new ArrayDeque<>();
    Deque<Long> openStart = new ArrayDeque<>();
    Deque<Integer> openDepth = new ArrayDeque<>();
    // The latest definition of each anchor, and which definitions are collections still open.
    Map<String, Integer> latestDefinition = new HashMap<>();
    Deque<Integer> openDefinitions = new ArrayDeque<>();
    int definitions = 0;
    try {
      for (Event e : new Parse(settings).parseString(text)) {
        if (e instanceof DocumentStartEvent) {
          if (++documents > maxDocuments) {
            throw fail(
                source,
                e,
                maxDocuments == 1
                    ? "expected a single YAML document, found another one here"
                    : "more than " + maxDocuments + " YAML documents");
          }
          continue;
        }
        if (e instanceof AliasEvent a) {
          String name = a.getAnchor().map(x -> x.getValue()).orElse("");
          Integer definition = latestDefinition.get(name);
          if (definition != null && openDefinitions.contains(definition)) {
            throw fail(
                source,
                e,
                "alias *"
                    + name
                    + " is inside the collection it refers to"
                    + " (a recursive structure)");
          }
          Long size = anchorSize.get(name);
          // An alias to an unknown anchor is the parser's error to report.
          nodes += size == null ? 1 : size;
        } else if (e instanceof ScalarEvent s) {
          nodes++;
          if (s.getValue().length() > maxScalarLength) {
            throw fail(
                source,
                e,
                "a scalar of "
                    + s.getValue().length()
                    + " characters; at most "
                    + maxScalarLength
                    + " are accepted");
          }
          if (s.getAnchor().isPresent()) {
            anchorSize.put(s.getAnchor().get().getValue(), 1L);
            latestDefinition.put(s.getAnchor().get().getValue(), ++definitions);
          }
        } else if (e instanceof CollectionStartEvent c) {
          nodes++;
          if (++depth > maxDepth) {
            throw fail(source, e, "collections nested more than " + maxDepth + " levels deep");
          }
          Optional<String> anchor = c.getAnchor().map(x -> x.getValue());
          if (anchor.isPresent()) {
            openAnchors.push(anchor.get());
            openStart.push(nodes - 1);
            openDepth.push(depth);
            latestDefinition.put(anchor.get(), ++definitions);
            openDefinitions.push(definitions);
          }
        } else if (e.getEventId() == Event.ID.MappingEnd
            || e.getEventId() == Event.ID.SequenceEnd) {
          if (!openDepth.isEmpty() && openDepth.peek() == depth) {
            openDepth.pop();
            openDefinitions.pop();
            anchorSize.put(openAnchors.pop(), nodes - openStart.pop());
          }
          depth--;
        }
        if (nodes > maxExpandedNodes) {
          throw fail(
              source,
              e,
              "more than "
                  + maxExpandedNodes
                  + " nodes once aliases are expanded (an alias bomb?)");
        }
      }
    } catch (org.snakeyaml.engine.v2.exceptions.YamlEngineException syntax) {
      // Reported, with its location, by the parse that follows.
    }
  }

  /**
   * The parser's read buffer for {@code text}. snakeyaml-engine compacts its window of code points
   * on every refill, copying everything from the start of the token being scanned; with its default
   * of 1 KiB a single-line token of n characters costs n²/1024 copies (100 s for a 20 MB scalar). A
   * buffer as large as the text (up to 4 Mi characters, 24 MB of buffers at most) makes that one
   * refill for any spec and keeps larger texts linear in practice.
   */
  public static int readBufferFor(String text) {
    return (int) Math.max(1024, Math.min(text.length() + 1L, 4L << 20));
  }

  private static InputException fail(String source, Event e, String reason) {
    String where = e.getStartMark().map(YamlLimits::at).orElse("");
    return new InputException(source + where, reason);
  }

  private static String at(Mark m) {
    return ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
  }
}
