package dev.scaler.leader;

import dev.scaler.history.WriteFence;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who leads (docs/ha.md). With H2 the instance is alone ({@code single}) and always acts. With PostgreSQL it
 * renews or tries to take the lease row every quarter of the lease, acts only while its last renewal is recent
 * enough by its own monotonic clock ({@link LeaseRules#actUntil}), and steps down at once, from a watch of its
 * own, when that runs out: a renewal stuck on a cut network cannot keep it acting. Every history write of a new
 * decision or action passes {@link #check}, in the write's own transaction (fencing).
 */
@Singleton
public class Leadership implements WriteFence {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    /** How often the watch looks at the deadline: a small share of the quarter of a lease left for the kill. */
    private static final long WATCH_MILLIS = 25;

    public enum Role {
        LEADER, STANDBY, SINGLE;

        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final LeaderConfiguration configuration;
    private final BeanProvider<LeaseStore> store;
    private final ApplicationEventPublisher<LeadershipChange> events;
    private final AtomicBoolean started = new AtomicBoolean();
    private ScheduledExecutorService leaseThread;
    private ScheduledExecutorService watchThread;

    private volatile Role role;
    private volatile boolean acting;
    private volatile long actUntilNanos;
    /** The term this instance holds or last held; 0 before its first. */
    private volatile long epoch;
    private volatile String leader;
    private volatile String leaderUrl;
    /** When the current leader's term began (database time); for a single instance, when it started. */
    private volatile Instant since;
    private volatile long failovers;
    private volatile String lastProblem;
    /** Why this instance last stopped leading, until the database has it. */
    private volatile String unrecordedLoss;
    private volatile long unrecordedLossEpoch;
    /** Set at a graceful stop: from then on nothing renews or takes the lead. */
    private volatile boolean released;

    public Leadership(LeaderConfiguration configuration, BeanProvider<LeaseStore> store,
                      ApplicationEventPublisher<LeadershipChange> events, MeterRegistry registry) {
        this.configuration = configuration;
        this.store = store;
        this.events = events;
        this.role = configuration.enabled() ? Role.STANDBY : Role.SINGLE;
        this.since = configuration.enabled() ? null : Instant.now();
        this.leader = configuration.enabled() ? null : configuration.instanceId();
        this.leaderUrl = configuration.enabled() ? null : configuration.advertiseUrl().toString();
        String instance = configuration.instanceId();
        Gauge.builder("scaler.leader", this, l -> l.leading() ? 1 : 0)
                .description("1 while this instance leads (or is alone), 0 on a standby").tag("instance", instance)
                .register(registry);
        Gauge.builder("scaler.leader.since.seconds", this,
                        l -> l.leading() && l.since != null ? l.since.toEpochMilli() / 1000.0 : 0)
                .description("When this instance became leader, in epoch seconds; 0 while it does not lead")
                .tag("instance", instance).register(registry);
        FunctionCounter.builder("scaler.leader.failovers", this, l -> l.failovers)
                .description("Changes of leader after the first, as the shared lease counts them")
                .tag("instance", instance).register(registry);
    }

    /** Starts the election (PostgreSQL) or does nothing (alone). */
    public void start() {
        if (!configuration.enabled() || !started.compareAndSet(false, true)) {
            return;
        }
        leaseThread = Executors.newSingleThreadScheduledExecutor(daemon("scaler-lease"));
        watchThread = Executors.newSingleThreadScheduledExecutor(daemon("scaler-lease-watch"));
        long every = LeaseRules.attemptEvery(configuration.leaseDuration()).toMillis();
        leaseThread.scheduleWithFixedDelay(this::attemptSafely, 0, every, TimeUnit.MILLISECONDS);
        watchThread.scheduleWithFixedDelay(this::watch, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("leader election started: instance={} advertise_url={} lease={} attempts_every={}ms",
                configuration.instanceId(), configuration.advertiseUrl(), configuration.leaseDuration(), every);
    }

    /** True when this instance may act now: it leads and its lease is fresh by its own clock, or it is alone. */
    public boolean mayAct() {
        return role == Role.SINGLE || (acting && System.nanoTime() - actUntilNanos < 0);
    }

    public boolean single() {
        return role == Role.SINGLE;
    }

    /** Leads or is alone (for the health, the metrics and the API). */
    public boolean leading() {
        return role == Role.SINGLE || acting;
    }

    public Role role() {
        return role == Role.LEADER && !acting ? Role.STANDBY : role;
    }

    public String instanceId() {
        return configuration.instanceId();
    }

    /** When this instance's term began, if it leads. */
    public Instant leadingSince() {
        return leading() ? since : null;
    }

    /** Null while this instance may act; otherwise why not, naming the leader and its URL. */
    public String refusal() {
        if (mayAct()) {
            return null;
        }
        String who = leader;
        return "this Scaler instance (" + configuration.instanceId() + ") is a standby; "
                + (who == null || who.equals(configuration.instanceId())
                ? "no leader is known right now" + (lastProblem == null ? "" : " (" + lastProblem + ")")
                + "; try again in a moment"
                : "send writes to the leader " + who + " at " + leaderUrl);
    }

    /** The leader's URL when another instance leads, else null. */
    public String leaderUrlIfElsewhere() {
        String who = leader;
        return mayAct() || who == null || who.equals(configuration.instanceId()) ? null : leaderUrl;
    }

    /** What /health, /api/targets and the status page show. */
    public Map<String, Object> view() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("role", role().text());
        v.put("instance", configuration.instanceId());
        v.put("leader", leader);
        v.put("leaderUrl", leaderUrl);
        v.put("since", since == null ? null : since.toString());
        v.put("failovers", failovers);
        v.put("epoch", epoch);
        if (lastProblem != null) {
            v.put("lastProblem", lastProblem);
        }
        return v;
    }

    @Override
    public boolean writes() {
        return mayAct();
    }

    @Override
    public Long check(Connection connection) throws SQLException {
        if (role == Role.SINGLE) {
            return null;
        }
        long term = epoch;
        if (!mayAct()) {
            throw new SQLException("not the leader: " + refusal());
        }
        store.get().fence(connection, configuration.instanceId(), term, configuration.leaseDuration());
        return term;
    }

    /** Graceful stop, after the loop drained: the lease ends now so a standby takes over at its next attempt. */
    public void release(String why) {
        if (!configuration.enabled() || !started.get()) {
            return;
        }
        released = true;
        leaseThread.shutdownNow();
        watchThread.shutdownNow();
        try {
            // an attempt in flight must not take the lead up again after this
            leaseThread.awaitTermination(configuration.leaseDuration().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean was;
        synchronized (this) {
            was = acting;
            acting = false;
            role = Role.STANDBY;
        }
        if (!was) {
            return;
        }
        try {
            boolean released = store.get().release(configuration.instanceId(), epoch, why,
                    configuration.leaseDuration());
            LOG.info("leadership released: instance={} epoch={} released={} reason=\"{}\"", configuration.instanceId(),
                    epoch, released, why);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("leadership not released: instance={} epoch={} reason=\"{}\": the lease expires by itself",
                    configuration.instanceId(), epoch, e.getMessage());
        }
    }

    private void attemptSafely() {
        try {
            if (attempt()) {
                // taking the lead up took a while (the history was read): renew at once rather than a quarter
                // lease later, so a slow start does not run out the first term's deadline
                attempt();
            }
        } catch (RuntimeException e) {
            LOG.error("lease attempt failed: {}", e.toString(), e);
        }
    }

    /** @return true when this attempt took the lead up */
    private boolean attempt() {
        if (released) {
            return false;
        }
        long start = System.nanoTime();
        LeaseStore.Result result;
        try {
            recordLoss();
            result = store.get().claim(configuration.instanceId(), configuration.advertiseUrl().toString(), epoch,
                    configuration.leaseDuration());
        } catch (SQLException | RuntimeException e) {
            String problem = "the database did not answer the lease: " + e.getMessage();
            if (!problem.equals(lastProblem)) {
                LOG.warn("instance={} role={} lease attempt failed: {}", configuration.instanceId(), role().text(),
                        problem);
            }
            lastProblem = problem;
            return false; // a leader steps down when its deadline passes (watch), not here
        }
        lastProblem = null;
        LeaseRules.Claim claim = result.claim();
        if (released) {
            if (claim.kind() != LeaseRules.Kind.HELD) {
                // stopped while this claim was under way: hand the term back rather than let it run out
                try {
                    store.get().release(configuration.instanceId(), claim.row().epoch(), "stopped while taking the"
                            + " lead", configuration.leaseDuration());
                } catch (SQLException | RuntimeException e) {
                    LOG.info("instance={} lease not handed back at stop ({}): it expires by itself",
                            configuration.instanceId(), e.getMessage());
                }
            }
            return false;
        }
        LeaseRules.Row row = claim.row();
        failovers = row.failovers();
        leader = row.holder();
        leaderUrl = row.holderUrl();
        since = row.acquiredAt() == 0 ? null : Instant.ofEpochMilli(row.acquiredAt());
        switch (claim.kind()) {
            case RENEWED -> {
                actUntilNanos = LeaseRules.actUntil(start, configuration.leaseDuration());
                if (!acting) {
                    return gain(row.epoch(), start, "its own term " + row.epoch() + " was still unexpired: resumed"
                            + " after a renewal came too late");
                }
                return false;
            }
            case ACQUIRED -> {
                return gain(row.epoch(), start, "acquired the lease, epoch " + row.epoch()
                        + (row.failovers() > 0 ? " (failover " + row.failovers() + ")" : ""));
            }
            default -> {
                if (acting) {
                    lose("the lease is held by " + row.holder() + " (epoch " + row.epoch() + ")");
                }
                role = Role.STANDBY;
                return false;
            }
        }
    }

    private boolean gain(long term, long attemptStart, String why) {
        epoch = term;
        role = Role.LEADER;
        actUntilNanos = LeaseRules.actUntil(attemptStart, configuration.leaseDuration());
        // rebuilt from the shared history before the first action (ScalingLoop, ControlStore)
        try {
            events.publishEvent(new LeadershipChange(true, term, why));
        } catch (RuntimeException e) {
            LOG.error("instance={} epoch={} leadership not taken up: rebuilding from the history failed: {}",
                    configuration.instanceId(), term, e.toString(), e);
            role = Role.STANDBY;
            return false;
        }
        if (System.nanoTime() - actUntilNanos >= 0) {
            LOG.warn("instance={} epoch={} leadership not taken up: the lease ran out while rebuilding from the"
                    + " history", configuration.instanceId(), term);
            role = Role.STANDBY;
            return false;
        }
        synchronized (this) {
            if (released) {
                role = Role.STANDBY;
                return false;
            }
            acting = true;
        }
        LOG.info("leadership acquired: instance={} epoch={} since={} failovers={} reason=\"{}\"",
                configuration.instanceId(), term, since, failovers, why);
        return true;
    }

    private void watch() {
        try {
            if (acting && System.nanoTime() - actUntilNanos >= 0) {
                lose("the lease was not renewed within " + configuration.leaseDuration().minus(
                        configuration.leaseDuration().dividedBy(LeaseRules.ATTEMPTS_PER_LEASE)).toMillis()
                        + "ms by this instance's clock" + (lastProblem == null ? "" : " (" + lastProblem + ")"));
            }
        } catch (RuntimeException e) {
            LOG.error("lease watch failed: {}", e.toString(), e);
        }
    }

    private synchronized void lose(String why) {
        if (!acting) {
            return;
        }
        acting = false;
        role = Role.STANDBY;
        unrecordedLoss = why;
        unrecordedLossEpoch = epoch;
        LOG.warn("leadership lost: instance={} epoch={} reason=\"{}\": no new action starts; running playbooks"
                + " are killed and recorded INTERRUPTED", configuration.instanceId(), epoch, why);
        events.publishEvent(new LeadershipChange(false, epoch, why));
    }

    /** The last loss, into leader_event, once the database answers. */
    private void recordLoss() throws SQLException {
        String why = unrecordedLoss;
        if (why == null) {
            return;
        }
        store.get().lost(configuration.instanceId(), unrecordedLossEpoch, why, configuration.leaseDuration());
        unrecordedLoss = null;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
