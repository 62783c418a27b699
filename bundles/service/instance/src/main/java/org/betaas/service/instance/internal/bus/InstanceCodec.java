package org.betaas.service.instance.internal.bus;

import java.io.IOException;

import org.betaas.api.instance.GatewayStatus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON for the instance bus. Unknown fields are ignored, so a newer gateway may add fields within one protocol
 * version; anything unparseable is an {@link IllegalArgumentException}.
 */
public final class InstanceCodec {

    private final ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public byte[] envelope(Envelope e) {
        try {
            return mapper.writeValueAsBytes(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode a message", ex);
        }
    }

    public Envelope envelope(byte[] bytes) {
        return read(bytes, Envelope.class);
    }

    public String write(Object payload) {
        try {
            return mapper.writeValueAsString(payload);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode " + payload.getClass().getSimpleName(), ex);
        }
    }

    public GatewayStatus status(String json) {
        return read(json, GatewayStatus.class);
    }

    public PeerRequest request(String json) {
        return read(json, PeerRequest.class);
    }

    public PeerReply reply(String json) {
        return read(json, PeerReply.class);
    }

    public OfflineNotice offline(String json) {
        return read(json, OfflineNotice.class);
    }

    public Dismissal dismissal(String json) {
        return read(json, Dismissal.class);
    }

    private <T> T read(Object source, Class<T> type) {
        try {
            T value = source instanceof byte[] b ? mapper.readValue(b, type) : mapper.readValue((String) source, type);
            if (value == null) {
                throw new IllegalArgumentException("empty " + type.getSimpleName());
            }
            return value;
        } catch (IOException ex) {
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": "
                    + (ex instanceof JsonProcessingException j ? j.getOriginalMessage() : ex.getMessage()), ex);
        }
    }
}
