package dev.scaler.leader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lease's rules as one table (the style of Kubernetes' replica_calculator_test): the row as stored, who
 * asks with which epoch at which database time, and what is written.
 */
class LeaseRulesTest {

    static final Duration LEASE = Duration.ofSeconds(15);
    static final long NOW = 1_800_000_000_000L;
    static final String ME = "b";
    static final String MY_URL = "http://b:8080";

    record Case(String name, LeaseRules.Row row, long myEpoch, long dbNow, LeaseRules.Kind kind, String holder,
                long epoch, long acquiredAt, long expiresAt, long failovers) {
        @Override
        public String toString() {
            return name;
        }
    }

    static LeaseRules.Row row(String holder, long epoch, long acquiredAt, long expiresAt, long failovers) {
        return new LeaseRules.Row(holder, holder == null ? null : "http://" + holder + ":8080", epoch, acquiredAt,
                expiresAt - LEASE.toMillis(), expiresAt, failovers);
    }

    static Stream<Case> cases() {
        long lease = LEASE.toMillis();
        return Stream.of(
                new Case("nobody ever led: the first term, epoch 1, no failover",
                        LeaseRules.Row.empty(), 0, NOW, LeaseRules.Kind.ACQUIRED, ME, 1, NOW, NOW + lease, 0),
                new Case("my unexpired term: renewed, same epoch, acquired_at kept",
                        row(ME, 7, NOW - 60_000, NOW + 1, 2), 7, NOW, LeaseRules.Kind.RENEWED, ME, 7, NOW - 60_000,
                        NOW + lease, 2),
                new Case("another's unexpired term: held, nothing written",
                        row("a", 7, NOW - 60_000, NOW + 1, 2), 0, NOW, LeaseRules.Kind.HELD, "a", 7, NOW - 60_000,
                        NOW + 1, 2),
                new Case("another's term expiring exactly now: taken over, epoch + 1, a failover",
                        row("a", 7, NOW - 60_000, NOW, 2), 0, NOW, LeaseRules.Kind.ACQUIRED, ME, 8, NOW, NOW + lease, 3),
                new Case("another's term expired long ago: taken over",
                        row("a", 7, NOW - 600_000, NOW - 500_000, 0), 0, NOW, LeaseRules.Kind.ACQUIRED, ME, 8, NOW,
                        NOW + lease, 1),
                new Case("my own term, expired (a renewal came too late): a new term, a new epoch",
                        row(ME, 7, NOW - 60_000, NOW - 1, 0), 7, NOW, LeaseRules.Kind.ACQUIRED, ME, 8, NOW,
                        NOW + lease, 1),
                new Case("my id with another epoch (a restart with a fixed id), unexpired: held until it expires",
                        row(ME, 7, NOW - 60_000, NOW + 5_000, 0), 0, NOW, LeaseRules.Kind.HELD, ME, 7, NOW - 60_000,
                        NOW + 5_000, 0),
                new Case("I believe epoch 7 but the row is at 9 under my id: not mine, held",
                        row(ME, 9, NOW - 1_000, NOW + 5_000, 4), 7, NOW, LeaseRules.Kind.HELD, ME, 9, NOW - 1_000,
                        NOW + 5_000, 4),
                new Case("released at shutdown (expires_at = its now): taken over at once",
                        row("a", 3, NOW - 9_000, NOW - 10, 0), 0, NOW, LeaseRules.Kind.ACQUIRED, ME, 4, NOW,
                        NOW + lease, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void claim(Case c) {
        LeaseRules.Claim claim = LeaseRules.claim(c.row(), ME, MY_URL, c.myEpoch(), c.dbNow(), LEASE);

        assertThat(claim.kind()).isEqualTo(c.kind());
        assertThat(claim.row().holder()).isEqualTo(c.holder());
        assertThat(claim.row().epoch()).isEqualTo(c.epoch());
        assertThat(claim.row().acquiredAt()).isEqualTo(c.acquiredAt());
        assertThat(claim.row().expiresAt()).isEqualTo(c.expiresAt());
        assertThat(claim.row().failovers()).isEqualTo(c.failovers());
        if (c.kind() != LeaseRules.Kind.HELD) {
            assertThat(claim.row().holderUrl()).isEqualTo(MY_URL);
            assertThat(claim.row().renewedAt()).isEqualTo(c.dbNow());
        } else {
            assertThat(claim.row()).isSameAs(c.row());
        }
    }

    record Deadline(String name, Duration lease, long attemptStart, long actUntil) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Deadline> deadlines() {
        return Stream.of(
                new Deadline("15s lease: act for 11.25s after the attempt started", Duration.ofSeconds(15), 0,
                        11_250_000_000L),
                new Deadline("2s lease: 1.5s", Duration.ofSeconds(2), 1_000, 1_500_001_000L),
                new Deadline("monotonic time may be negative", Duration.ofSeconds(4), -5_000_000_000L,
                        -2_000_000_000L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deadlines")
    void aLeaderActsForThreeQuartersOfTheLeaseAfterItsAttemptStarted(Deadline d) {
        assertThat(LeaseRules.actUntil(d.attemptStart(), d.lease())).isEqualTo(d.actUntil());
    }

    /**
     * The failover bound (docs/ha.md) from the rules alone: a leader last renewed at most one attempt period
     * before it died; its lease then ends one lease later at the latest, and a standby's next attempt comes at
     * most one period after that. With the lease at its default, the poll interval, that is 1.25 intervals.
     */
    @Test
    void aDeadLeaderIsReplacedWithinOneLeaseAndOneAttemptPeriod() {
        Duration lease = Duration.ofSeconds(15);
        Duration period = LeaseRules.attemptEvery(lease);
        long lastRenewal = NOW;
        long died = lastRenewal + period.toMillis();
        LeaseRules.Row held = LeaseRules.claim(LeaseRules.Row.empty(), "a", "http://a", 0, lastRenewal, lease).row();

        long attempt = died;
        LeaseRules.Claim claim;
        do {
            claim = LeaseRules.claim(held, ME, MY_URL, 0, attempt, lease);
            attempt += period.toMillis();
        } while (claim.kind() == LeaseRules.Kind.HELD);

        long takenAfterDeath = claim.row().acquiredAt() - died;
        assertThat(takenAfterDeath).isLessThanOrEqualTo(lease.plus(period).toMillis());
        assertThat(Duration.ofMillis(takenAfterDeath)).isLessThan(Duration.ofSeconds(30)); // two poll intervals
        assertThat(LeaseRules.actUntil(0, lease)).as("the old leader stopped before the takeover")
                .isLessThan(lease.toNanos());
    }
}
