package org.betaas.shell.cloud;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.cloud.CloudSettings;
import org.betaas.api.vm.DriverStatus;
import org.betaas.api.vm.VmDriver;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;
import org.betaas.api.vm.VmState;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

@Service
@Command(scope = "betaas", name = "cloud-info",
        description = "Shows the remote cloud configuration (never the password), whether the cloud is reachable"
                + " and the remote VMs in use")
public class CloudInfoCommand implements Action {

    static final String DRIVER = "openstack";

    @Reference
    ConfigurationAdmin configAdmin;

    @Reference
    BundleContext context;

    @Override
    public Object execute() throws Exception {
        PrintStream out = System.out;
        CloudSettings settings = CloudSettings.of(configAdmin.getConfiguration(CloudSettings.PID, "?").getProperties());
        CloudText.print(out, settings);
        VmDriver driver = service(VmDriver.class, DRIVER);
        if (driver == null) {
            out.println("Reachable   unknown: the OpenStack VM driver is not running (feature:install betaas-taas)");
        } else {
            DriverStatus status = driver.status();
            out.println("Reachable   " + (status.reachable() ? "yes" : "no") + " - " + status.detail());
        }
        VmManager vms = service(VmManager.class, null);
        if (vms != null) {
            List<VmInstance> remote = vms.list().stream()
                    .filter(v -> DRIVER.equals(v.driver()) && v.state() != VmState.DESTROYED).toList();
            out.println("VMs in use  " + remote.size() + (settings.maxVms() >= 0 ? " of " + settings.maxVms() : "")
                    + (remote.isEmpty() ? "" : ": " + String.join(", ", remote.stream().map(VmInstance::id).toList())));
        }
        out.flush();
        return null;
    }

    /** The service of this type (with this driver name, when given), or null. */
    private <T> T service(Class<T> type, String driverName) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences(type.getName(), null);
        if (refs == null) {
            return null;
        }
        for (ServiceReference<?> ref : refs) {
            Object service = context.getService(ref);
            if (service == null) {
                continue;
            }
            if (driverName == null || driverName.equals(((VmDriver) service).name())) {
                return type.cast(service);
            }
            context.ungetService(ref);
        }
        return null;
    }
}
