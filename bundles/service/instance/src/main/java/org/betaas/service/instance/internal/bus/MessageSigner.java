package org.betaas.service.instance.internal.bus;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/** Signs this gateway's messages: timestamp, fresh nonce, MAC. */
public final class MessageSigner {

    private final String instance;
    private final String gatewayId;
    private final InstanceKey key;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public MessageSigner(String instance, String gatewayId, InstanceKey key, Clock clock) {
        this.instance = instance;
        this.gatewayId = gatewayId;
        this.key = key;
        this.clock = clock;
    }

    public Envelope sign(String type, String payload) {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        Envelope unsigned = new Envelope(Envelope.VERSION, type, instance, gatewayId, clock.millis(),
                Base64.getUrlEncoder().withoutPadding().encodeToString(nonce), payload, null);
        return unsigned.withMac(key.mac(unsigned.signingInput()));
    }
}
