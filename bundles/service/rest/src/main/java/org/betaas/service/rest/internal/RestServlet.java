package org.betaas.service.rest.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

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
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.HttpService;
import org.osgi.service.http.NamespaceException;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API servlet, registered with the OSGi Http Service at {@code /betaas/api/v1}. It only copies requests
 * into {@link RestApi} and answers out. Every BETaaS service is an optional, dynamic reference: the API stays up
 * while services come and go, and answers 503 for what is missing.
 *
 * <p>Registered by this component itself, not published for the HTTP Whiteboard: Pax Web 8's whiteboard extender
 * now and then took the servlet service at start (the component was activated) but never bound an Http Service for
 * this bundle, so the API answered 404 for good (docs/architecture.md). The Http Service path is the one Karaf's
 * web console takes, and SCR gets the Http Service for this bundle before activating it.
 */
@Component(service = {}, immediate = true, configurationPid = "org.betaas.rest",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RestConfiguration.class)
public final class RestServlet extends HttpServlet implements ServiceDirectory {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RestServlet.class);
    private static final int MAX_BODY = 64 * 1024;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LocalGateway localGateway;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ResourceMonitor resourceMonitor;
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, fieldOption = FieldOption.UPDATE)
    private final List<VmDriver> vmDrivers = new CopyOnWriteArrayList<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ThingRegistry thingRegistry;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TemplateRegistry templateRegistry;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile VmManager vmManager;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TaasResourcesManager resourcesManager;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ResourceHistory resourceHistory;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configurationAdmin;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServiceManager serviceManager;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile InstanceManager instanceManager;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DependabilityManager dependabilityManager;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BigDataManager bigDataManager;

    private final transient RestApi api;

    private final transient HttpService http;

    @Activate
    public RestServlet(BundleContext context, RestConfiguration config, @Reference HttpService http)
            throws ServletException, NamespaceException {
        this.http = http;
        String realm = config.jaas_realm().isBlank() ? "karaf" : config.jaas_realm().trim();
        String role = config.role().isBlank() ? "admin" : config.role().trim();
        if (config.jaas_realm().isBlank() || config.role().isBlank()) {
            LOG.error("REST API configuration (etc/org.betaas.rest.cfg): jaas.realm and role must not be empty; "
                    + "using realm {} and role {}", realm, role);
        }
        this.api = new RestApi(this, new BasicAuthGuard(new JaasAuthenticator(realm), role, config.http_realm()),
                context.getBundle().getVersion().toString());
        http.registerServlet(BetaasApi.BASE, this, null, null);
        LOG.info("BETaaS REST API at {} (JAAS realm {}, role {}), {} routes", BetaasApi.BASE, realm, role,
                api.routes().size());
    }

    @Deactivate
    void unregister() {
        try {
            http.unregister(BetaasApi.BASE);
        } catch (IllegalArgumentException e) {
            LOG.debug("REST API was not registered any more: {}", e.getMessage());
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String prefix = request.getContextPath() + request.getServletPath();
        String uri = request.getRequestURI();
        String rawPath = uri.startsWith(prefix) ? uri.substring(prefix.length()) : request.getPathInfo();
        String body = null;
        if (request.getContentLength() > MAX_BODY) {
            write(response, api.tooLarge(MAX_BODY));
            return;
        }
        if (!"GET".equals(request.getMethod())) {
            byte[] bytes = request.getInputStream().readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                write(response, api.tooLarge(MAX_BODY));
                return;
            }
            body = new String(bytes, StandardCharsets.UTF_8);
        }
        write(response, api.handle(request.getMethod(), rawPath, request.getQueryString(),
                request.getHeader("Authorization"), body));
    }

    private static void write(HttpServletResponse response, RestApi.Answer answer) throws IOException {
        response.setStatus(answer.status());
        answer.headers().forEach(response::setHeader);
        response.setContentLength(answer.body().length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(answer.body());
        }
    }

    @Override public Optional<LocalGateway> localGateway() { return Optional.ofNullable(localGateway); }
    @Override public Optional<ResourceMonitor> resourceMonitor() { return Optional.ofNullable(resourceMonitor); }
    @Override public List<VmDriver> vmDrivers() { return List.copyOf(vmDrivers); }
    @Override public Optional<ThingRegistry> thingRegistry() { return Optional.ofNullable(thingRegistry); }
    @Override public Optional<TemplateRegistry> templateRegistry() { return Optional.ofNullable(templateRegistry); }
    @Override public Optional<VmManager> vmManager() { return Optional.ofNullable(vmManager); }
    @Override public Optional<TaasResourcesManager> resourcesManager() { return Optional.ofNullable(resourcesManager); }
    @Override public Optional<ResourceHistory> resourceHistory() { return Optional.ofNullable(resourceHistory); }

    @Override public Optional<ServiceManager> serviceManager() { return Optional.ofNullable(serviceManager); }
    @Override public Optional<InstanceManager> instanceManager() { return Optional.ofNullable(instanceManager); }
    @Override
    public Optional<DependabilityManager> dependabilityManager() { return Optional.ofNullable(dependabilityManager); }
    @Override public Optional<BigDataManager> bigDataManager() { return Optional.ofNullable(bigDataManager); }

    @Override
    public Optional<CloudStore> cloudStore() {
        ConfigurationAdmin cm = configurationAdmin;
        return cm == null ? Optional.empty() : Optional.of(new ConfigAdminCloudSettings(cm));
    }
}
