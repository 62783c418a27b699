package org.betaas.shell.apps;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.betaas.api.apps.App;
import org.betaas.api.apps.ServiceManager;

@Service
@Command(scope = "betaas", name = "app-list", description = "Lists the installed applications, their things and"
        + " service VMs")
public class AppListCommand implements Action {

    @Reference
    ServiceManager apps;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        List<App> all = apps.list();
        if (all.isEmpty()) {
            out.println("No app is installed (betaas:app-install <manifest>)");
        } else {
            ShellTable table = new ShellTable();
            table.column("Name");
            table.column("Owner");
            table.column("Things");
            table.column("Service VM");
            table.column("Installed");
            table.column("Problems");
            for (App a : all) {
                table.addRow().addContent(a.name(), a.manifest().owner(),
                        a.granted().isEmpty() ? "-" : String.join(", ", a.granted()), a.vmId().orElse("-"),
                        a.installedAt().toString(), a.problems().isEmpty() ? "-" : String.join("; ", a.problems()));
            }
            table.print(out);
        }
        out.flush();
        return null;
    }
}
