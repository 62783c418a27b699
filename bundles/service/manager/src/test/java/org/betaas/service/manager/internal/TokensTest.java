package org.betaas.service.manager.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.Test;

public class TokensTest {

    @Test
    public void tokensAre256RandomBits() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String t = Tokens.newToken();
            assertEquals(32, Base64.getUrlDecoder().decode(t).length);
            assertTrue(seen.add(t));
        }
    }

    @Test
    public void hashIsSha256Hex() {
        // echo -n abc | sha256sum
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Tokens.hash("abc"));
        assertNotEquals(Tokens.hash("abd"), Tokens.hash("abc"));
        assertTrue(Tokens.sameHash(Tokens.hash("x"), Tokens.hash("x")));
    }
}
