package org.betaas.service.rest.internal;

import java.util.List;
import java.util.Optional;

import org.betaas.api.apps.ServiceManager;
import org.betaas.api.bigdata.BigDataManager;
import org.betaas.api.dependability.DependabilityManager;
import org.betaas.api.instance.InstanceManager;
import org.betaas.api.instance.LocalGateway;
import org.betaas.api.placement.TaasResourcesManager;
import org.betaas.api.resources.ResourceHistory;
import org.betaas.api.resources.ResourceMonitor;
import org.betaas.api.things.ThingRegistry;
import org.betaas.api.vm.TemplateRegistry;
import org.betaas.api.vm.VmDriver;
import org.betaas.api.vm.VmManager;

/**
 * The BETaaS services the API uses, each possibly absent (not installed yet, or restarting): endpoints answer 503
 * for what is missing instead of the whole API going away.
 */
interface ServiceDirectory {
    Optional<LocalGateway> localGateway();

    Optional<ResourceMonitor> resourceMonitor();

    List<VmDriver> vmDrivers();

    Optional<ThingRegistry> thingRegistry();

    Optional<TemplateRegistry> templateRegistry();

    Optional<VmManager> vmManager();

    Optional<TaasResourcesManager> resourcesManager();

    Optional<ResourceHistory> resourceHistory();

    Optional<CloudStore> cloudStore();

    Optional<ServiceManager> serviceManager();

    Optional<InstanceManager> instanceManager();

    Optional<DependabilityManager> dependabilityManager();

    Optional<BigDataManager> bigDataManager();
}
