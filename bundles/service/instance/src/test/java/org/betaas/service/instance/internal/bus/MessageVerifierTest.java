package org.betaas.service.instance.internal.bus;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.betaas.service.instance.internal.bus.MessageVerifier.Rejection;
import org.betaas.service.instance.internal.bus.MessageVerifier.Verdict;
import org.junit.Test;

public class MessageVerifierTest {

    private static final String KEY = "correct horse battery staple";
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final MessageSigner gw2 = new MessageSigner("home", "gw-2", new InstanceKey(KEY), clock);
    private final MessageVerifier verifier =
            new MessageVerifier("home", new InstanceKey(KEY), Duration.ofSeconds(30), 1000, clock);

    @Test
    public void aSignedFreshMessageIsAcceptedOnce() {
        Envelope e = gw2.sign(Envelope.STATUS, "{\"gatewayId\":\"gw-2\"}");
        assertTrue(verifier.verify(e, "gw-2", true) instanceof Verdict.Accepted);
        assertRejected(Rejection.REPLAYED, verifier.verify(e, "gw-2", true));
        assertEquals(Long.valueOf(1), verifier.counters().get("accepted"));
        assertEquals(Long.valueOf(1), verifier.counters().get("replayed"));
    }

    @Test
    public void aTamperedPayloadIsRejected() {
        Envelope e = gw2.sign(Envelope.STATUS, "{\"cpuLoad\":0.1}");
        Envelope tampered = new Envelope(e.v(), e.type(), e.instance(), e.from(), e.ts(), e.nonce(),
                "{\"cpuLoad\":0.9}", e.mac());
        assertRejected(Rejection.BAD_SIGNATURE, verifier.verify(tampered, "gw-2", true));
    }

    @Test
    public void aMessageSignedWithAnotherKeyIsFromANonMember() {
        MessageSigner intruder = new MessageSigner("home", "gw-2", new InstanceKey("not the instance key!!"), clock);
        assertRejected(Rejection.BAD_SIGNATURE, verifier.verify(intruder.sign(Envelope.STATUS, "{}"), "gw-2", true));
        assertEquals(Long.valueOf(1), verifier.counters().get("bad_signature"));
        assertEquals(Long.valueOf(0), verifier.counters().get("accepted"));
    }

    @Test
    public void aMovedTimestampBreaksTheMac() {
        Envelope e = gw2.sign(Envelope.STATUS, "{}");
        Envelope refreshed = new Envelope(e.v(), e.type(), e.instance(), e.from(), e.ts() + 60_000, e.nonce(),
                e.payload(), e.mac());
        assertRejected(Rejection.BAD_SIGNATURE, verifier.verify(refreshed, "gw-2", true));
    }

    @Test
    public void anOldOrFutureTimestampIsStale() {
        Envelope e = gw2.sign(Envelope.STATUS, "{}");
        clock.advance(31_000);
        assertRejected(Rejection.STALE, verifier.verify(e, "gw-2", true));
        clock.advance(-62_000);
        assertRejected(Rejection.STALE, verifier.verify(e, "gw-2", true));
        clock.advance(31_000);
        assertTrue(verifier.verify(e, "gw-2", true) instanceof Verdict.Accepted);
    }

    @Test
    public void aDismissedMemberIsDroppedEvenWithTheKey() {
        verifier.dismiss("gw-2");
        assertRejected(Rejection.DISMISSED, verifier.verify(gw2.sign(Envelope.STATUS, "{}"), "gw-2", true));
        assertEquals(Long.valueOf(1), verifier.counters().get("dismissed"));
    }

    @Test
    public void aMemberCannotSpeakOnAnotherGatewaysTopic() {
        assertRejected(Rejection.WRONG_SENDER, verifier.verify(gw2.sign(Envelope.STATUS, "{}"), "gw-3", true));
    }

    @Test
    public void anotherInstanceOrVersionIsRejected() {
        MessageSigner other = new MessageSigner("office", "gw-2", new InstanceKey(KEY), clock);
        assertRejected(Rejection.WRONG_INSTANCE, verifier.verify(other.sign(Envelope.STATUS, "{}"), null, true));
        Envelope e = gw2.sign(Envelope.STATUS, "{}");
        Envelope v2 = new Envelope(2, e.type(), e.instance(), e.from(), e.ts(), e.nonce(), e.payload(), e.mac());
        assertRejected(Rejection.UNSUPPORTED_VERSION, verifier.verify(v2, null, true));
    }

    @Test
    public void aLastWillNeedsNoFreshTimestampButAValidMac() {
        Envelope will = gw2.sign(Envelope.OFFLINE, "{}");
        clock.advance(3_600_000);
        assertTrue(verifier.verify(will, "gw-2", false) instanceof Verdict.Accepted);
        Envelope forged = new Envelope(will.v(), will.type(), will.instance(), will.from(), will.ts(), will.nonce(),
                "{\"x\":1}", will.mac());
        assertRejected(Rejection.BAD_SIGNATURE, verifier.verify(forged, "gw-2", false));
    }

    @Test
    public void theNonceCacheStaysBoundedAndForgetsOnlyStaleNonces() {
        MessageVerifier small = new MessageVerifier("home", new InstanceKey(KEY), Duration.ofSeconds(30), 10, clock);
        Envelope first = gw2.sign(Envelope.STATUS, "{}");
        assertTrue(small.verify(first, "gw-2", true) instanceof Verdict.Accepted);
        clock.advance(31_000);
        for (int i = 0; i < 50; i++) {
            assertTrue(small.verify(gw2.sign(Envelope.STATUS, "{}"), "gw-2", true) instanceof Verdict.Accepted);
        }
        // forgotten, but its timestamp is now outside the window: still rejected
        assertRejected(Rejection.STALE, small.verify(first, "gw-2", true));
    }

    @Test
    public void theEnvelopeSurvivesTheCodecAndStillVerifies() {
        InstanceCodec codec = new InstanceCodec();
        Envelope e = gw2.sign(Envelope.STATUS, "{\"a\":\"é\\n\"}");
        Envelope back = codec.envelope(codec.envelope(e));
        assertEquals(e, back);
        assertTrue(verifier.verify(back, "gw-2", true) instanceof Verdict.Accepted);
    }

    private static void assertRejected(Rejection expected, Verdict v) {
        assertTrue("expected " + expected + " but was " + v,
                v instanceof Verdict.Rejected r && r.reason() == expected);
    }

    static final class MutableClock extends Clock {
        private long now;

        MutableClock(long now) {
            this.now = now;
        }

        void advance(long millis) {
            now += millis;
        }

        @Override
        public long millis() {
            return now;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
