package org.betaas.shell.gateway;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.betaas.api.instance.GatewayIdentity;
import org.betaas.api.instance.LocalGateway;
import org.betaas.api.resources.ResourceMonitor;
import org.betaas.api.resources.ResourceSnapshot;
import org.betaas.api.vm.DriverStatus;
import org.betaas.api.vm.VmDriver;
import org.betaas.shell.Units;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

@Service
@Command(scope = "betaas", name = "gateway-info",
        description = "Shows this gateway's identity, resources, hypervisor and the state of its BETaaS components")
public class GatewayInfoCommand implements Action {

    @Reference
    LocalGateway gateway;

    @Reference
    ResourceMonitor monitor;

    @Reference
    ServiceComponentRuntime scr;

    @Reference
    BundleContext context;

    @Override
    public Object execute() throws Exception {
        // Karaf 4.4's SSH exec only flushes what is printed, not returned values: print and return null.
        PrintStream out = System.out;
        GatewayIdentity id = gateway.identity();
        out.println("Gateway     " + id.gatewayId());
        out.println("Instance    " + id.instanceId());
        out.println("Version     " + id.version());
        for (String problem : gateway.configurationProblems()) {
            out.println("Configuration problem: " + problem);
        }
        printResources(out, monitor.current());
        printHypervisors(out);
        ShellTable components = new ShellTable();
        components.column("Component");
        components.column("Bundle");
        components.column("State");
        ComponentStates.of(scr, context).forEach(c -> components.addRow().addContent(c.name(), c.bundle(), c.state()));
        out.println();
        components.print(out);
        out.flush();
        return null;
    }

    private static void printResources(PrintStream out, ResourceSnapshot r) {
        out.println();
        out.println("CPU         " + r.cpuCores() + " cores, load " + Units.percent(r.cpuLoad()));
        out.println("Memory      " + Units.bytes(r.memoryUsed()) + " used of " + Units.bytes(r.memoryTotal()));
        out.println("Storage     " + Units.bytes(r.storageUsed()) + " used of " + Units.bytes(r.storageTotal()));
        out.println("Battery     " + (r.batteryPercent().isPresent()
                ? Units.percent(r.batteryPercent().getAsDouble() / 100) : "none (mains powered)"));
    }

    private void printHypervisors(PrintStream out) throws Exception {
        ServiceReference<?>[] drivers = context.getServiceReferences(VmDriver.class.getName(), null);
        if (drivers == null) {
            out.println("Hypervisor  none: no VM driver installed (feature:install betaas-taas)");
            return;
        }
        for (ServiceReference<?> ref : drivers) {
            VmDriver driver = (VmDriver) context.getService(ref);
            if (driver == null) {
                continue;
            }
            try {
                DriverStatus s = driver.status();
                out.println("Hypervisor  " + driver.name() + " " + s.endpoint() + ": "
                        + (s.reachable() ? "reachable, " : "NOT reachable, ") + s.detail());
            } finally {
                context.ungetService(ref);
            }
        }
    }
}
