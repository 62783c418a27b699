package org.betaas.api.apps;

import java.util.List;
import java.util.Optional;

import org.betaas.api.things.Measurement;
import org.betaas.api.things.MeasurementListener;
import org.betaas.api.things.Subscription;
import org.betaas.api.things.Thing;

/**
 * The Service Manager: installs applications from their manifests, allocates things to them (the Things Service)
 * and lets an app, identified by its token, read and drive only the things it was granted.
 */
public interface ServiceManager {

    /**
     * Validates the manifest (JSON), grants the matching things and, when it has a web application, deploys a
     * service VM through the TaaS Resources Manager.
     *
     * @return the app and its token, which is never shown again
     * @throws AppException INVALID for a wrong manifest, CONFLICT when the name is taken, UNAVAILABLE when the
     *                      database or the VM placement is missing
     */
    InstalledApp install(String manifestJson) throws AppException;

    List<App> list();

    Optional<App> find(String name);

    /** Releases the app's things, destroys its service VM and forgets its token. */
    void uninstall(String name) throws AppException;

    /** The things granted to an app (by name, for operators). */
    List<Thing> grantedThings(String name) throws AppException;

    /** The name of the app this token belongs to. */
    String authenticate(String token) throws AppException;

    /** The things granted to the app with this token. */
    List<Thing> things(String token) throws AppException;

    /** The last values of a thing granted to the app with this token. */
    List<Measurement> lastValues(String token, String thingId) throws AppException;

    /** Delivers the measurements of the things granted to the app (now and later) until closed. */
    Subscription subscribe(String token, MeasurementListener listener) throws AppException;

    /** Sends a command to an actuator granted to the app with this token. */
    void actuate(String token, String thingId, String command) throws AppException;
}
