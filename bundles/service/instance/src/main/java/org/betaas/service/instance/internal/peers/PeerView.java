package org.betaas.service.instance.internal.peers;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.betaas.api.instance.GatewayStatus;
import org.betaas.api.instance.PeerGateway;

/**
 * The live view of the peers of this gateway, fed with authenticated messages and a clock tick: who is online
 * (a status within the keep-alive), what each runs and offers, and the trust in each. Thread-safe; no I/O.
 */
public final class PeerView {

    /** The outcome of a last will or leave message. */
    public enum OfflineOutcome {
        /** The peer went offline. */
        WENT_OFFLINE,
        /** It was offline already (or unknown): nothing changed. */
        NO_CHANGE,
        /** A will of an earlier session of the peer: a replay, dropped. */
        STALE_SESSION
    }

    private enum EventKind { MISSED, FAILED, SUCCEEDED, DISCONNECT }

    private record Event(long at, EventKind kind, int count) {
    }

    private static final class Peer {
        final String id;
        GatewayStatus status;
        String session;
        boolean online;
        boolean dismissed;
        long lastSeen;
        boolean seen;
        final Deque<Event> events = new ArrayDeque<>();

        Peer(String id) {
            this.id = id;
        }
    }

    private final String selfId;
    private final long keepAliveMillis;
    private final long heartbeatMillis;
    private final long trustWindowMillis;
    private final TrustModel model;
    private final Map<String, Peer> peers = new TreeMap<>();

    /**
     * @param selfId      this gateway (never part of the view)
     * @param keepAlive   a peer without a status for longer is offline
     * @param heartbeat   the status period every member uses
     * @param trustWindow how far back failures count
     */
    public PeerView(String selfId, Duration keepAlive, Duration heartbeat, Duration trustWindow, TrustModel model) {
        if (heartbeat.compareTo(keepAlive) >= 0) {
            throw new IllegalArgumentException("the status period must be shorter than the keep-alive");
        }
        this.selfId = selfId;
        this.keepAliveMillis = keepAlive.toMillis();
        this.heartbeatMillis = heartbeat.toMillis();
        this.trustWindowMillis = trustWindow.toMillis();
        this.model = model;
    }

    /** An authenticated status arrived; returns the transition it causes, if any. */
    public synchronized Optional<Transition> onStatus(GatewayStatus s, long now) {
        if (s.gatewayId().equals(selfId)) {
            return Optional.empty();
        }
        Peer p = peers.computeIfAbsent(s.gatewayId(), Peer::new);
        if (p.dismissed) {
            return Optional.empty();
        }
        boolean wasOnline = p.online;
        if (p.seen) {
            int missed = missedSince(p.lastSeen, now);
            if (missed > 0) {
                p.events.add(new Event(now, EventKind.MISSED, missed));
            }
        }
        p.status = s;
        p.session = s.session();
        p.lastSeen = now;
        p.seen = true;
        p.online = s.online();
        prune(p, now);
        if (!s.online()) {
            return wasOnline ? Optional.of(new Transition(p.id, false, "left the instance")) : Optional.empty();
        }
        return wasOnline ? Optional.empty() : Optional.of(new Transition(p.id, true, "status received"));
    }

    /**
     * A peer's last will (unexpected) or a leave message arrived for {@code session}.
     */
    public synchronized OfflineOutcome onOffline(String gatewayId, String session, boolean unexpected, long now) {
        Peer p = peers.get(gatewayId);
        if (p == null || !p.online) {
            return OfflineOutcome.NO_CHANGE;
        }
        if (p.session != null && !p.session.equals(session)) {
            return OfflineOutcome.STALE_SESSION;
        }
        p.online = false;
        if (unexpected) {
            p.events.add(new Event(now, EventKind.DISCONNECT, 1));
        }
        return OfflineOutcome.WENT_OFFLINE;
    }

    /** Marks peers offline whose last status is older than the keep-alive. */
    public synchronized List<Transition> tick(long now) {
        List<Transition> changes = new ArrayList<>();
        for (Peer p : peers.values()) {
            if (p.online && now - p.lastSeen > keepAliveMillis) {
                p.online = false;
                changes.add(new Transition(p.id, false, "no status for " + (now - p.lastSeen) + " ms (keep-alive "
                        + keepAliveMillis + " ms)"));
            }
            prune(p, now);
        }
        return changes;
    }

    public synchronized void requestOutcome(String gatewayId, boolean succeeded, long now) {
        Peer p = peers.get(gatewayId);
        if (p != null) {
            p.events.add(new Event(now, succeeded ? EventKind.SUCCEEDED : EventKind.FAILED, 1));
        }
    }

    /** Drops the peer from the candidates for good: it stays listed as dismissed. */
    public synchronized void dismiss(String gatewayId) {
        if (gatewayId.equals(selfId)) {
            return;
        }
        Peer p = peers.computeIfAbsent(gatewayId, Peer::new);
        p.dismissed = true;
        p.online = false;
    }

    public synchronized boolean knows(String gatewayId) {
        return peers.containsKey(gatewayId);
    }

    public synchronized boolean isOnline(String gatewayId) {
        Peer p = peers.get(gatewayId);
        return p != null && p.online;
    }

    public synchronized double trust(String gatewayId, long now) {
        Peer p = peers.get(gatewayId);
        return p == null ? 0 : trust(p, now);
    }

    /** Every known peer, by id. */
    public synchronized List<PeerGateway> peers(long now) {
        List<PeerGateway> all = new ArrayList<>();
        for (Peer p : peers.values()) {
            all.add(new PeerGateway(p.id, false, p.online, p.dismissed, trust(p, now), p.lastSeen,
                    missed(p, now), p.status));
        }
        all.sort(Comparator.comparing(PeerGateway::gatewayId));
        return all;
    }

    /** This gateway's trust in each peer it knows, published in its status for the others' reputation. */
    public synchronized Map<String, Double> opinions(long now) {
        Map<String, Double> opinions = new LinkedHashMap<>();
        for (Peer p : peers.values()) {
            if (!p.dismissed) {
                opinions.put(p.id, Math.round(trust(p, now) * 1000) / 1000.0);
            }
        }
        return opinions;
    }

    private double trust(Peer p, long now) {
        if (p.dismissed) {
            return 0;
        }
        int failed = 0;
        int succeeded = 0;
        int disconnects = 0;
        for (Event e : p.events) {
            if (now - e.at > trustWindowMillis) {
                continue;
            }
            switch (e.kind) {
                case FAILED -> failed += e.count;
                case SUCCEEDED -> succeeded += e.count;
                case DISCONNECT -> disconnects += e.count;
                default -> { }
            }
        }
        GatewayStatus s = p.status;
        Double battery = s == null || s.trustInputs() == null ? null : s.trustInputs().batteryPercent();
        Double trend = s == null || s.trustInputs() == null ? null : s.trustInputs().batteryTrendPerHour();
        int reported = s == null || s.trustInputs() == null ? 0 : s.trustInputs().networkErrors();
        return model.trust(new TrustObservation(missed(p, now), failed, succeeded, battery, trend,
                reported + disconnects, reputation(p.id)));
    }

    private int missed(Peer p, long now) {
        int missed = 0;
        for (Event e : p.events) {
            if (e.kind == EventKind.MISSED && now - e.at <= trustWindowMillis) {
                missed += e.count;
            }
        }
        if (p.seen && !p.dismissed) {
            missed += missedSince(p.lastSeen, now);
        }
        return missed;
    }

    /** Status periods that passed without a status: the first one is the expected next status. */
    private int missedSince(long lastSeen, long now) {
        return (int) Math.max(0, Math.round((double) (now - lastSeen) / heartbeatMillis) - 1);
    }

    /** Mean of the trust the other online members publish in the peer; NaN when none has an opinion. */
    private double reputation(String gatewayId) {
        double sum = 0;
        int n = 0;
        for (Peer other : peers.values()) {
            if (other.id.equals(gatewayId) || !other.online || other.dismissed || other.status == null) {
                continue;
            }
            Double opinion = other.status.peerTrust().get(gatewayId);
            if (opinion != null && !opinion.isNaN()) {
                sum += opinion;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private void prune(Peer p, long now) {
        while (!p.events.isEmpty() && now - p.events.peekFirst().at > trustWindowMillis) {
            p.events.removeFirst();
        }
    }
}
