package org.betaas.service.instance.internal.bus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to the instance's broker ({@code ssl://} URLs) with this gateway's own client certificate: a key store
 * (PKCS#12 or JKS) holding the gateway's key and certificate, and a trust store holding the CA of the broker's
 * certificate. Either may be absent: no key store = no client certificate; no trust store = the JVM's default
 * trusted CAs. Never logs the passwords.
 *
 * @param keyStore           the gateway's key and certificate, or null
 * @param keyStorePassword   its password (also the key's)
 * @param trustStore         the CA certificate(s) trusted for the broker, or null
 * @param trustStorePassword its password (may be empty)
 */
public record BrokerTls(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {

    /** No files configured: the JVM's defaults (javax.net.ssl.* properties). */
    public static final BrokerTls DEFAULT = new BrokerTls(null, "", null, "");

    public boolean isDefault() {
        return keyStore == null && trustStore == null;
    }

    /** The socket factory for Paho; throws with a message naming the file that cannot be used. */
    public SSLSocketFactory socketFactory() throws IOException {
        try {
            KeyManagerFactory kmf = null;
            if (keyStore != null) {
                char[] pw = keyStorePassword == null ? new char[0] : keyStorePassword.toCharArray();
                KeyStore ks = load(keyStore, pw, "broker.keyStore");
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, pw);
            }
            TrustManagerFactory tmf = null;
            if (trustStore != null) {
                char[] pw = trustStorePassword == null ? new char[0] : trustStorePassword.toCharArray();
                KeyStore ts = load(trustStore, pw, "broker.trustStore");
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(),
                    null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("the TLS key or trust store cannot be used: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, char[] password, String key) throws IOException,
            GeneralSecurityException {
        if (!Files.isReadable(file)) {
            throw new IOException(key + " " + file + " does not exist or cannot be read");
        }
        try {
            return KeyStore.getInstance(file.toFile(), password); // PKCS#12 or JKS, detected
        } catch (IOException e) {
            throw new IOException(key + " " + file + " cannot be read (wrong password or not a PKCS#12/JKS key"
                    + " store): " + e.getMessage(), e);
        }
    }
}
