package org.betaas.adaptation.ble.bluez.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.betaas.api.ble.BleDevice;
import org.betaas.api.ble.BleException;
import org.betaas.api.ble.BleListener;
import org.betaas.api.ble.BleProvider;
import org.betaas.api.ble.BleStatus;
import org.bluez.exceptions.BluezAlreadyConnectedException;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.handlers.AbstractPropertiesChangedHandler;
import org.freedesktop.dbus.handlers.AbstractSignalHandlerBase;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.hypfvieh.bluetooth.DeviceManager;
import com.github.hypfvieh.bluetooth.wrapper.BluetoothAdapter;
import com.github.hypfvieh.bluetooth.wrapper.BluetoothDevice;
import com.github.hypfvieh.bluetooth.wrapper.BluetoothGattCharacteristic;
import com.github.hypfvieh.bluetooth.wrapper.BluetoothGattService;

/**
 * BLE through BlueZ over D-Bus, with bluez-dbus. Connects to the bus lazily and again after a failure (at most
 * every {@value #RETRY_MS} ms), so a gateway without Bluetooth, or without a system bus, keeps running and
 * {@link #status()} says what is missing.
 */
@Component(configurationPid = "org.betaas.ble.bluez", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {"provider=bluez", "service.description=BETaaS BLE provider on BlueZ (D-Bus)"})
@Designate(ocd = BluezConfiguration.class)
public final class BluezProvider implements BleProvider {

    static final String SYSTEM_BUS = "unix:path=/var/run/dbus/system_bus_socket";
    private static final long RETRY_MS = 10_000;
    private static final String GATT_CHARACTERISTIC = "org.bluez.GattCharacteristic1";
    private static final String DEVICE = "org.bluez.Device1";
    private static final Logger LOG = LoggerFactory.getLogger(BluezProvider.class);

    private final String address;
    private final String adapterName;
    private final long connectTimeoutMs;
    private final List<BleListener> listeners = new CopyOnWriteArrayList<>();
    /** D-Bus path of each subscribed characteristic → (device address, UUID). */
    private final Map<String, String[]> subscriptions = new ConcurrentHashMap<>();

    private DeviceManager manager;
    private BluetoothAdapter adapter;
    private long lastAttempt;
    private BleStatus status;
    private final AbstractPropertiesChangedHandler valueHandler = new AbstractPropertiesChangedHandler() {
        @Override
        public void handle(Properties.PropertiesChanged signal) {
            onPropertiesChanged(signal);
        }
    };
    private final AbstractSignalHandlerBase<ObjectManager.InterfacesRemoved> removalHandler =
            new AbstractSignalHandlerBase<>() {
                @Override
                public Class<ObjectManager.InterfacesRemoved> getImplementationClass() {
                    return ObjectManager.InterfacesRemoved.class;
                }

                @Override
                public void handle(ObjectManager.InterfacesRemoved signal) {
                    onInterfacesRemoved(signal);
                }
            };

    @Activate
    public BluezProvider(BluezConfiguration config) {
        this(config.dbus_address(), config.adapter(), config.connect_timeout_ms());
    }

    /**
     * @param dbusAddress    a D-Bus address, empty for the system bus
     * @param adapterName    e.g. {@code hci0}, empty for the first adapter
     * @param connectTimeout milliseconds to wait for a connection and its GATT services
     */
    public BluezProvider(String dbusAddress, String adapterName, long connectTimeout) {
        this.address = dbusAddress == null || dbusAddress.isBlank() ? SYSTEM_BUS : dbusAddress.trim();
        this.adapterName = adapterName == null ? "" : adapterName.trim();
        this.connectTimeoutMs = Math.max(100, connectTimeout);
        this.status = new BleStatus(false, endpoint(), "not connected yet");
    }

    @Deactivate
    public synchronized void close() {
        if (manager != null) {
            try {
                manager.closeConnection();
            } catch (RuntimeException e) {
                LOG.debug("closing D-Bus connection to {}: {}", address, e.toString());
            }
            manager = null;
            adapter = null;
        }
        subscriptions.clear();
    }

    @Override
    public String name() {
        return "bluez";
    }

    private String endpoint() {
        return address + (adapterName.isEmpty() ? "" : " " + adapterName);
    }

    @Override
    public synchronized BleStatus status() {
        try {
            BluetoothAdapter a = adapter();
            status = new BleStatus(true, address + " " + a.getDeviceName(),
                    "adapter " + a.getDeviceName() + " " + a.getAddress() + (a.isPowered() ? "" : " (powered off)"));
        } catch (BleException e) {
            status = new BleStatus(false, endpoint(), e.getMessage());
        }
        return status;
    }

    /** The adapter, connecting to the bus first when needed; fails with what to do. */
    private BluetoothAdapter adapter() throws BleException {
        if (adapter != null) {
            return adapter;
        }
        if (manager == null) {
            long now = System.currentTimeMillis();
            if (now - lastAttempt < RETRY_MS && lastAttempt != 0) {
                throw new BleException(status.detail());
            }
            lastAttempt = now;
            if (address.startsWith("unix:path=")) {
                Path socket = Path.of(address.substring("unix:path=".length()).split(",")[0]);
                if (!Files.exists(socket)) {
                    throw new BleException("no D-Bus bus at " + address + " (start dbus and bluetoothd, or set "
                            + "dbus.address in etc/org.betaas.ble.bluez.cfg)");
                }
            }
            try {
                DeviceManager m = DeviceManager.createInstance(address);
                m.setLazyScan(true);
                m.registerPropertyHandler(valueHandler);
                m.registerSignalHandler(removalHandler);
                manager = m;
            } catch (DBusException | RuntimeException e) {
                throw new BleException("cannot connect to D-Bus at " + address + ": " + e.getMessage()
                        + " (check dbus.address in etc/org.betaas.ble.bluez.cfg)", e);
            } catch (LinkageError e) {
                // junixsocket's native library has no build for this platform
                throw new BleException("cannot open the D-Bus socket " + address + " on this platform: " + e
                        + " (use a tcp: dbus.address in etc/org.betaas.ble.bluez.cfg)", e);
            }
        }
        try {
            List<BluetoothAdapter> adapters = manager.scanForBluetoothAdapters();
            Optional<BluetoothAdapter> found = adapters.stream()
                    .filter(a -> adapterName.isEmpty() || adapterName.equals(a.getDeviceName())
                            || adapterName.equalsIgnoreCase(a.getAddress()))
                    .findFirst();
            if (found.isEmpty()) {
                throw new BleException(adapters.isEmpty()
                        ? "no Bluetooth adapter on " + address + " (is bluetoothd running and an adapter plugged in?)"
                        : "no Bluetooth adapter " + adapterName + " on " + address + "; there are "
                                + adapters.stream().map(BluetoothAdapter::getDeviceName).toList());
            }
            adapter = found.get();
            return adapter;
        } catch (RuntimeException e) {
            throw new BleException("no Bluetooth adapter on " + address + ": " + e.getMessage()
                    + " (is bluetoothd running?)", e);
        }
    }

    private BleException failure(String what, RuntimeException e) {
        // a broken bus or a removed adapter: find it again on the next call
        adapter = null;
        return new BleException(what + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
    }

    @Override
    public synchronized void startScan() throws BleException {
        BluetoothAdapter a = adapter();
        try {
            if (!a.isPowered()) {
                a.setPowered(true);
            }
            if (!Boolean.TRUE.equals(a.isDiscovering())) {
                try {
                    // BLE only: classic inquiry finds nothing this adaptor can read
                    a.setDiscoveryFilter(Map.of("Transport", new Variant<>("le")));
                } catch (DBusException | RuntimeException e) {
                    LOG.debug("adapter {} refused the LE discovery filter: {}", a.getDeviceName(), e.getMessage());
                }
            }
            if (!Boolean.TRUE.equals(a.isDiscovering()) && !a.startDiscovery()) {
                throw new BleException("adapter " + a.getDeviceName() + " refused to start discovery");
            }
        } catch (RuntimeException e) {
            throw failure("starting discovery on " + a.getDeviceName(), e);
        }
    }

    @Override
    public synchronized void stopScan() {
        if (adapter != null) {
            try {
                adapter.stopDiscovery();
            } catch (RuntimeException e) {
                LOG.debug("stopping discovery: {}", e.toString());
            }
        }
    }

    @Override
    public synchronized List<BleDevice> devices() throws BleException {
        BluetoothAdapter a = adapter();
        try {
            manager.findBtDevicesByIntrospection(a);
            List<BleDevice> devices = new ArrayList<>();
            for (BluetoothDevice d : manager.getDevices(a.getAddress(), false)) {
                try {
                    String name = d.getName();
                    Short rssi = d.getRssi();
                    devices.add(new BleDevice(d.getAddress().toUpperCase(Locale.ROOT), name == null ? "" : name,
                            rssi == null ? null : (int) rssi, Boolean.TRUE.equals(d.isConnected())));
                } catch (RuntimeException e) {
                    LOG.debug("skipping device {}: {}", d.getDbusPath(), e.toString());
                }
            }
            return devices;
        } catch (RuntimeException e) {
            throw failure("listing devices of " + a.getDeviceName(), e);
        }
    }

    private BluetoothDevice device(String address) throws BleException {
        BluetoothAdapter a = adapter();
        try {
            for (BluetoothDevice d : manager.getDevices(a.getAddress(), false)) {
                if (address.equalsIgnoreCase(d.getAddress())) {
                    return d;
                }
            }
        } catch (RuntimeException e) {
            throw failure("looking up " + address, e);
        }
        throw new BleException("BLE device " + address + " is not known to adapter " + a.getDeviceName());
    }

    @Override
    public void connect(String address) throws BleException {
        BluetoothDevice d;
        synchronized (this) {
            d = device(address);
        }
        try {
            if (!Boolean.TRUE.equals(d.isConnected())) {
                try {
                    // Device1.Connect returns once connected, or fails: its outcome is the answer (the wrapper's
                    // connect() re-reads the Connected property, which may lag behind)
                    d.getRawDevice().Connect();
                } catch (BluezAlreadyConnectedException e) {
                    LOG.debug("{} was already connected", address);
                } catch (DBusException e) {
                    throw new BleException("BLE device " + address + " refused the connection: " + e.getMessage(), e);
                }
            }
            long deadline = System.currentTimeMillis() + connectTimeoutMs;
            while (!Boolean.TRUE.equals(d.isServicesResolved()) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            if (!Boolean.TRUE.equals(d.isServicesResolved())) {
                LOG.debug("{}: GATT services not resolved after {} ms, using what is there", address,
                        connectTimeoutMs);
            }
            d.refreshGattServices();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BleException("interrupted while connecting to " + address, e);
        } catch (RuntimeException e) {
            throw new BleException("connecting to BLE device " + address + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void disconnect(String address) {
        subscriptions.values().removeIf(s -> s[0].equalsIgnoreCase(address));
        try {
            BluetoothDevice d;
            synchronized (this) {
                d = device(address);
            }
            if (Boolean.TRUE.equals(d.isConnected())) {
                d.disconnect();
            }
        } catch (BleException | RuntimeException e) {
            LOG.debug("disconnecting {}: {}", address, e.getMessage());
        }
    }

    @Override
    public List<String> characteristics(String address) throws BleException {
        List<String> uuids = new ArrayList<>();
        try {
            for (BluetoothGattService s : device(address).getGattServices()) {
                for (BluetoothGattCharacteristic c : s.getGattCharacteristics()) {
                    uuids.add(c.getUuid().toLowerCase(Locale.ROOT));
                }
            }
        } catch (RuntimeException e) {
            throw new BleException("listing GATT characteristics of " + address + ": " + e.getMessage(), e);
        }
        return uuids;
    }

    private BluetoothGattCharacteristic characteristic(String address, String uuid) throws BleException {
        try {
            for (BluetoothGattService s : device(address).getGattServices()) {
                for (BluetoothGattCharacteristic c : s.getGattCharacteristics()) {
                    if (uuid.equalsIgnoreCase(c.getUuid())) {
                        return c;
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new BleException("looking up characteristic " + uuid + " of " + address + ": " + e.getMessage(), e);
        }
        throw new BleException("BLE device " + address + " has no characteristic " + uuid);
    }

    @Override
    public byte[] read(String address, String uuid) throws BleException {
        BluetoothGattCharacteristic c = characteristic(address, uuid);
        try {
            return c.readValue(Map.of());
        } catch (DBusException | RuntimeException e) {
            throw new BleException("reading " + uuid + " of " + address + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void subscribe(String address, String uuid) throws BleException {
        BluetoothGattCharacteristic c = characteristic(address, uuid);
        List<String> flags = c.getFlags();
        if (flags != null && !flags.contains("notify") && !flags.contains("indicate")) {
            throw new BleException(uuid + " of " + address + " neither notifies nor indicates");
        }
        subscriptions.put(c.getDbusPath(), new String[] {address.toUpperCase(Locale.ROOT), uuid.toLowerCase(Locale.ROOT)});
        try {
            if (!Boolean.TRUE.equals(c.isNotifying())) {
                c.startNotify();
            }
        } catch (DBusException | RuntimeException e) {
            subscriptions.remove(c.getDbusPath());
            throw new BleException("subscribing to " + uuid + " of " + address + ": " + e.getMessage(), e);
        }
    }

    private void onPropertiesChanged(Properties.PropertiesChanged signal) {
        if (!GATT_CHARACTERISTIC.equals(signal.getInterfaceName())) {
            return;
        }
        String[] subscription = subscriptions.get(signal.getPath());
        Variant<?> value = signal.getPropertiesChanged().get("Value");
        if (subscription == null || value == null) {
            return;
        }
        byte[] bytes = bytes(value.getValue());
        if (bytes == null) {
            return;
        }
        for (BleListener l : listeners) {
            try {
                l.valueChanged(subscription[0], subscription[1], bytes);
            } catch (RuntimeException e) {
                LOG.warn("BLE listener failed on a value of {}: {}", subscription[0], e.toString());
            }
        }
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof List<?> list) {
            byte[] b = new byte[list.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = ((Number) list.get(i)).byteValue();
            }
            return b;
        }
        return null;
    }

    private void onInterfacesRemoved(ObjectManager.InterfacesRemoved signal) {
        List<String> interfaces = signal.getInterfaces();
        if (interfaces == null || !interfaces.contains(DEVICE) || signal.getSignalSource() == null) {
            return;
        }
        String path = signal.getSignalSource().getPath();
        String node = path.substring(path.lastIndexOf('/') + 1);
        if (!node.startsWith("dev_")) {
            return;
        }
        String removed = node.substring(4).replace('_', ':').toUpperCase(Locale.ROOT);
        subscriptions.values().removeIf(s -> s[0].equals(removed));
        for (BleListener l : listeners) {
            try {
                l.deviceRemoved(removed);
            } catch (RuntimeException e) {
                LOG.warn("BLE listener failed on the removal of {}: {}", removed, e.toString());
            }
        }
    }

    @Override
    public void addListener(BleListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(BleListener listener) {
        listeners.remove(listener);
    }
}
