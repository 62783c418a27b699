package org.betaas.service.instance.internal.bus;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The instance's shared secret: computes and checks message MACs. Its text is never exposed. */
public final class InstanceKey {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public InstanceKey(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the instance key is empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    public String mac(String signingInput) {
        return Base64.getEncoder().encodeToString(raw(signingInput));
    }

    /** Constant-time comparison, so timing does not reveal how much of a forged MAC was right. */
    public boolean matches(String signingInput, String mac) {
        if (mac == null) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(mac);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(raw(signingInput), given);
    }

    private byte[] raw(String input) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "InstanceKey[hidden]";
    }
}
