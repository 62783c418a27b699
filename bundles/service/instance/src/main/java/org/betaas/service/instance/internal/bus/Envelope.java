package org.betaas.service.instance.internal.bus;

/**
 * One message on the instance bus: a payload (JSON text) and what authenticates it. The MAC is HMAC-SHA256 with
 * the instance key over {@link #signingInput()}, Base64-encoded; see docs/instance-protocol.md.
 *
 * @param v        protocol version ({@link #VERSION})
 * @param type     {@code status}, {@code offline}, {@code request}, {@code reply} or {@code dismiss}
 * @param instance the instance id
 * @param from     the sending gateway's id
 * @param ts       when it was signed, ms since the epoch
 * @param nonce    random, never reused by the sender (replay protection)
 * @param payload  the message itself, JSON text
 * @param mac      Base64 HMAC-SHA256 of {@link #signingInput()}
 */
public record Envelope(int v, String type, String instance, String from, long ts, String nonce, String payload,
                       String mac) {

    public static final int VERSION = 1;

    public static final String STATUS = "status";
    public static final String OFFLINE = "offline";
    public static final String REQUEST = "request";
    public static final String REPLY = "reply";
    public static final String DISMISS = "dismiss";

    /** The exact bytes the MAC covers (UTF-8 of this text): every field but the MAC, one per line. */
    public String signingInput() {
        return v + "\n" + type + "\n" + instance + "\n" + from + "\n" + ts + "\n" + nonce + "\n" + payload;
    }

    Envelope withMac(String newMac) {
        return new Envelope(v, type, instance, from, ts, nonce, payload, newMac);
    }
}
