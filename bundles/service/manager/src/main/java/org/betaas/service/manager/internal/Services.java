package org.betaas.service.manager.internal;

import java.util.Optional;

import org.betaas.api.placement.TaasResourcesManager;
import org.betaas.api.things.ThingAdaptor;
import org.betaas.api.things.ThingRegistry;
import org.betaas.api.things.ThingSubscriptions;
import org.betaas.api.vm.VmManager;

/** The services the Service Manager uses, each of which may be missing at any time. */
public interface Services {

    Optional<ThingRegistry> registry();

    Optional<ThingSubscriptions> subscriptions();

    Optional<TaasResourcesManager> placement();

    Optional<VmManager> vms();

    /** The adaptor of a protocol ({@code mqtt}, {@code ble}). */
    Optional<ThingAdaptor> adaptor(String protocol);
}
