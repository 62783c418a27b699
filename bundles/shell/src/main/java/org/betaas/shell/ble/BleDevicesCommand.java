package org.betaas.shell.ble;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.betaas.api.ble.BleDeviceState;
import org.betaas.api.ble.BleDiscovery;
import org.betaas.api.ble.BleStatus;

@Service
@Command(scope = "betaas", name = "ble-devices",
        description = "Shows the BLE devices the BLE adaptor saw: address, name, RSSI, kept or ignored, and state")
public class BleDevicesCommand implements Action {

    @Reference(optional = true)
    BleDiscovery discovery;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        if (discovery == null) {
            out.println("BLE discovery is not running: feature:install betaas-ble");
            out.flush();
            return null;
        }
        BleStatus status = discovery.providerStatus();
        out.println("Bluetooth   " + (status.available() ? status.detail() : "not available: " + status.detail()));
        for (String problem : discovery.configurationProblems()) {
            out.println("Configuration problem: " + problem);
        }
        ShellTable table = new ShellTable();
        table.column("Address");
        table.column("Name");
        table.column("RSSI").alignRight();
        table.column("Kept");
        table.column("State");
        table.column("Thing");
        for (BleDeviceState d : discovery.devices()) {
            table.addRow().addContent(d.address(), d.name(), d.rssi() == null ? "-" : d.rssi() + " dBm",
                    d.kept() ? "kept" : "ignored", d.state(), d.kept() ? d.thingId() : "");
        }
        out.println();
        table.print(out);
        out.flush();
        return null;
    }
}
