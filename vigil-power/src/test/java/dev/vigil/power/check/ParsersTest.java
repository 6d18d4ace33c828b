package dev.vigil.power.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParsersTest {
  @Test
  void readsIpv4AndIpv6TcpTables() {
    String v4 =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout"
            + " inode\n"
            + "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0   "
            + "     0 1 1 0000000000000000 100 0 0 10 0\n"
            + "   1: 3F04A8C0:7660 0A04A8C0:D2F1 01 00000000:00000000 00:00000000 00000000     0   "
            + "     0 2 1 0000000000000000 20 4 30 10 -1\n"
            + "   2: 3F04A8C0:0016 0B04A8C0:C350 03 00000000:00000000 00:00000000 00000000     0   "
            + "     0 3 1 0000000000000000 20 4 30 10 -1\n"
            + "garbage line\n";
    List<ProcNetTcp.Entry> e = ProcNetTcp.parse(v4);
    assertThat(e).hasSize(3);
    assertThat(e.get(0).localAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(e.get(0).localPort()).isEqualTo(8080);
    assertThat(e.get(0).state()).isEqualTo(ProcNetTcp.LISTEN);
    assertThat(e.get(1).localAddress().getHostAddress()).isEqualTo("192.168.4.63");
    assertThat(e.get(1).localPort()).isEqualTo(30304);
    assertThat(e.get(1).remoteAddress().getHostAddress()).isEqualTo("192.168.4.10");
    assertThat(e.get(1).state()).isEqualTo(ProcNetTcp.ESTABLISHED);
    assertThat(e.get(2).state()).isEqualTo(ProcNetTcp.SYN_RECV);

    String v6 =
        "  sl  local_address                         remote_address                        st\n"
            + "   0: 00000000000000000000000001000000:0016 00000000000000000000000001000000:D2F1 01"
            + " 0\n"
            + "   1: 0000000000000000FFFF00003F04A8C0:01BD 0000000000000000FFFF00000A04A8C0:C000 01"
            + " 0\n";
    List<ProcNetTcp.Entry> s = ProcNetTcp.parse(v6);
    assertThat(s.get(0).localAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(s.get(0).localPort()).isEqualTo(22);
    // Java folds v4-mapped v6 addresses to plain IPv4.
    assertThat(s.get(1).localAddress().getHostAddress()).isEqualTo("192.168.4.63");
    assertThat(s.get(1).localPort()).isEqualTo(445);
  }

  @Test
  void countsSambaSessionsAfterTheSeparator() {
    String out =
        "\n"
            + "Samba version 4.17.12-Debian\n"
            + "PID     Username     Group        Machine                                   Protocol"
            + " Version  Encryption           Signing\n"
            + "----------------------------------------------------------------------------------------------------------------------------------------\n"
            + "4711    jason        jason        192.168.4.10 (ipv4:192.168.4.10:50000)   SMB3_11  "
            + "         -                    partial(AES-128-CMAC)\n\n";
    assertThat(SmbCheck.countSessions(out)).isEqualTo(1);
    assertThat(SmbCheck.countSessions("\nSamba version 4.17\nPID Username\n------\n\n")).isZero();
  }

  @Test
  void findsBlockingSleepInhibitorsOnly() {
    String out =
        "NetworkManager 0 root 712 NetworkManager sleep NetworkManager needs to turn off networks"
            + " delay\n"
            + "backup 0 root 9000 restic sleep:shutdown Backup running block\n"
            + "gdm 120 gdm 1500 gdm-wayland-ses handle-lid-switch Display manager block\n";
    assertThat(InhibitorsCheck.parse(out)).containsExactly("backup");
  }
}
