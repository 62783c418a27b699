package org.betaas.shell.apps;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.apps.AppException;
import org.betaas.api.apps.ServiceManager;

@Service
@Command(scope = "betaas", name = "app-uninstall", description = "Uninstalls an application: releases its things,"
        + " destroys its service VM and revokes its token")
public class AppUninstallCommand implements Action {

    @Reference
    ServiceManager apps;

    @Argument(index = 0, name = "app", required = true, description = "the app's name (betaas:app-list)")
    @Completion(AppNameCompleter.class)
    String app;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        try {
            apps.uninstall(app);
            out.println("Uninstalled app " + app);
        } catch (AppException e) {
            out.println("Cannot uninstall app '" + app + "': " + e.getMessage());
        }
        out.flush();
        return null;
    }
}
