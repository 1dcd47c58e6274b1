package dev.scaler.fleet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an unreachable host's message says happened. The messages are real: the text after
 * {@code fatal: [hx]: } as ansible-playbook 2.x printed it against a real sshd (changed and unknown host key,
 * wrong client key, closed port, a stopped sshd that accepts and never answers), or ssh's own stderr.
 */
class SshFailureTest {

    private static final String WRAP = "UNREACHABLE! => {\"changed\": false, \"msg\": \"Data could not be sent to remote"
            + " host \\\"127.0.0.60\\\". Make sure this host can be reached over ssh: %s\", \"unreachable\": true}";

    record Case(String name, String message, String kind, String evidence) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("host key changed", WRAP.formatted("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\\r\\n"
                        + "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\\r\\n"
                        + "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\\r\\n"
                        + "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\\r\\n"
                        + "Someone could be eavesdropping on you right now (man-in-the-middle attack)!\\r\\n"
                        + "It is also possible that a host key has just been changed.\\r\\n"
                        + "The fingerprint for the ED25519 key sent by the remote host is\\n"
                        + "SHA256:EHeYO1Ad3OrzqU++Vc/TMXm5pmU8RcY/HGAx6iJFcH4.\\r\\n"
                        + "Please contact your system administrator.\\r\\n"
                        + "Add correct host key in /tmp/s/kh_changed to get rid of this message.\\r\\n"
                        + "Offending ED25519 key in /tmp/s/kh_changed:1\\r\\n  remove with:\\r\\n"
                        + "  ssh-keygen -f \\\"/tmp/s/kh_changed\\\" -R \\\"[127.0.0.60]:2299\\\"\\r\\n"
                        + "Host key for [127.0.0.60]:2299 has changed and you have requested strict checking.\\r\\n"
                        + "Host key verification failed.\\r\\n"), SshFailure.HOST_KEY_CHANGED,
                        "Host key for [127.0.0.60]:2299 has changed and you have requested strict checking."
                                + " Host key verification failed."),
                new Case("host key unknown", WRAP.formatted("No ED25519 host key is known for [127.0.0.60]:2299 and you"
                        + " have requested strict checking.\\r\\nHost key verification failed.\\r\\n"),
                        SshFailure.HOST_KEY_UNKNOWN, "No ED25519 host key is known for [127.0.0.60]:2299 and you have"
                        + " requested strict checking. Host key verification failed."),
                new Case("host key failed, nothing more said",
                        "UNREACHABLE! => {\"changed\": false, \"msg\": \"Failed to connect to the host via ssh: Host key"
                                + " verification failed.\", \"unreachable\": true}",
                        SshFailure.HOST_KEY_NOT_VERIFIED, "Host key verification failed."),
                new Case("login refused", WRAP.formatted("root@127.0.0.60: Permission denied (publickey).\\r\\n"),
                        SshFailure.LOGIN_REFUSED, "root@127.0.0.60: Permission denied (publickey)."),
                new Case("connection refused", WRAP.formatted("ssh: connect to host 127.0.0.60 port 2298: Connection"
                        + " refused\\r\\n"), SshFailure.CONNECTION_REFUSED,
                        "ssh: connect to host 127.0.0.60 port 2298: Connection refused"),
                new Case("timeout during the banner", WRAP.formatted("Connection timed out during banner exchange\\r\\n"
                        + "Connection to 127.0.0.60 port 2299 timed out\\r\\n"), SshFailure.TIMEOUT,
                        "Connection timed out during banner exchange Connection to 127.0.0.60 port 2299 timed out"),
                new Case("timeout connecting", "ssh: connect to host 10.255.255.1 port 22: Connection timed out",
                        SshFailure.TIMEOUT, "ssh: connect to host 10.255.255.1 port 22: Connection timed out"),
                new Case("no route", "ssh: connect to host 192.0.2.1 port 22: No route to host", SshFailure.NO_ROUTE,
                        "ssh: connect to host 192.0.2.1 port 22: No route to host"),
                new Case("name not resolved", "ssh: Could not resolve hostname nosuch.invalid: Name or service not known",
                        SshFailure.NAME_NOT_RESOLVED,
                        "ssh: Could not resolve hostname nosuch.invalid: Name or service not known"),
                new Case("closed by the host", WRAP.formatted("Connection closed by 127.0.0.60 port 2299\\r\\n"),
                        SshFailure.CONNECTION_CLOSED, "Connection closed by 127.0.0.60 port 2299"),
                new Case("ssh ended before Ansible could send anything (a stopped sshd, an unknown name)",
                        "UNREACHABLE! => {\"changed\": false, \"msg\": \"Data could not be sent to remote host"
                        + " \\\"nosuch.invalid\\\". Make sure this host can be reached over ssh: [Errno 32] Broken pipe."
                        + " [Errno 32] Broken pipe\", \"unreachable\": true}", SshFailure.FAILED_AT_ONCE,
                        "[Errno 32] Broken pipe. [Errno 32] Broken pipe"),
                new Case("nothing known: the message as it is", "UNREACHABLE! => {\"changed\": false, \"msg\": \"Failed"
                        + " to connect to the host via ssh: something new\", \"unreachable\": true}", "",
                        "something new"),
                new Case("empty", "", "", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void namesWhatHappened(Case c) {
        assertThat(SshFailure.kind(c.message())).isEqualTo(c.kind());
        assertThat(SshFailure.evidence(c.message())).isEqualTo(c.evidence());
        String problem = c.kind().isEmpty() ? "unreachable" : "unreachable (" + c.kind() + ")";
        assertThat(SshFailure.problem(c.message())).isEqualTo(problem);
        assertThat(SshFailure.describe(c.message())).isEqualTo(c.evidence().isEmpty() ? problem
                : problem + ": " + c.evidence());
    }
}
