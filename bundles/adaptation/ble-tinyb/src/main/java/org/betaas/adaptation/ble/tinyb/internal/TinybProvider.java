package org.betaas.adaptation.ble.tinyb.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.betaas.api.ble.BleDevice;
import org.betaas.api.ble.BleException;
import org.betaas.api.ble.BleListener;
import org.betaas.api.ble.BleProvider;
import org.betaas.api.ble.BleStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tinyb.BluetoothAdapter;
import tinyb.BluetoothDevice;
import tinyb.BluetoothException;
import tinyb.BluetoothGattCharacteristic;
import tinyb.BluetoothGattService;
import tinyb.BluetoothManager;
import tinyb.TransportType;

/**
 * BLE through tinyb (libtinyb + libjavatinyb over JNI; libtinyb reaches bluetoothd on the system D-Bus through
 * GDBus, which honours {@code DBUS_SYSTEM_BUS_ADDRESS}). The native libraries are loaded on first use; when they
 * cannot load, or there is no bus or adapter, the component stays active and {@link #status()} says what to do.
 * tinyb's manager is one per JVM: it is never closed, only this provider's notifications are.
 */
@Component(configurationPid = "org.betaas.ble.tinyb", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {"provider=tinyb", "service.description=BETaaS BLE provider on tinyb"})
@Designate(ocd = TinybConfiguration.class)
public final class TinybProvider implements BleProvider {

    private static final Logger LOG = LoggerFactory.getLogger(TinybProvider.class);
    private static final long RETRY_MS = 10_000;
    private static final long LOST_CHECK_MS = 1_000;

    /** Per class loader (i.e. per bundle wiring): the libraries load once. */
    private static boolean nativeLoaded;

    private final String nativeDir;
    private final String adapterName;
    private final long connectTimeoutMs;
    private final Path extractDir;
    private final List<BleListener> listeners = new CopyOnWriteArrayList<>();
    /** address → characteristic UUID → the subscribed characteristic (kept so tinyb keeps its callback). */
    private final Map<String, Map<String, BluetoothGattCharacteristic>> subscriptions = new ConcurrentHashMap<>();
    /** Devices seen by the last check, to report the ones tinyb forgets. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService lostCheck;

    private BluetoothManager manager;
    private BluetoothAdapter adapter;
    private long lastAttempt;
    private String lastProblem = "not started yet";

    @Activate
    public TinybProvider(TinybConfiguration config) {
        this(config.native_library_dir(), config.adapter(), config.connect_timeout_ms(), defaultExtractDir());
    }

    /**
     * @param nativeDir      the board's libtinyb directory, empty for the embedded libraries
     * @param adapterName    adapter name or address, empty for the default one
     * @param connectTimeout milliseconds to wait for a connection and its GATT services
     * @param extractDir     where the embedded libraries are copied to before loading
     */
    public TinybProvider(String nativeDir, String adapterName, long connectTimeout, Path extractDir) {
        this.nativeDir = nativeDir == null ? "" : nativeDir.trim();
        this.adapterName = adapterName == null ? "" : adapterName.trim();
        this.connectTimeoutMs = Math.max(100, connectTimeout);
        this.extractDir = extractDir;
        this.lostCheck = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "betaas-ble-tinyb-lost");
            t.setDaemon(true);
            return t;
        });
        lostCheck.scheduleWithFixedDelay(this::checkLost, LOST_CHECK_MS, LOST_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    private static Path defaultExtractDir() {
        String data = System.getProperty("karaf.data");
        return data != null ? Path.of(data, "betaas", "tinyb")
                : Path.of(System.getProperty("java.io.tmpdir"), "betaas-tinyb-" + System.getProperty("user.name"));
    }

    @Deactivate
    public void close() {
        lostCheck.shutdownNow();
        synchronized (this) {
            for (Map<String, BluetoothGattCharacteristic> chars : subscriptions.values()) {
                chars.values().forEach(TinybProvider::quietlyDisable);
            }
            subscriptions.clear();
            adapter = null;
            manager = null;
        }
    }

    private static void quietlyDisable(BluetoothGattCharacteristic c) {
        try {
            c.disableValueNotifications();
        } catch (RuntimeException e) {
            LOG.debug("disabling notifications: {}", e.toString());
        }
    }

    @Override
    public String name() {
        return "tinyb";
    }

    private static String bus() {
        String env = System.getenv("DBUS_SYSTEM_BUS_ADDRESS");
        return env == null || env.isBlank() ? "system D-Bus" : env;
    }

    private String endpoint() {
        return "tinyb on " + bus() + (adapterName.isEmpty() ? "" : " " + adapterName);
    }

    /** Loads libtinyb and libjavatinyb once; the reason when they cannot load. */
    private synchronized void loadNatives() throws BleException {
        synchronized (TinybProvider.class) {
            if (nativeLoaded) {
                return;
            }
            String nativeProblem = null;
            try {
                List<Path> libs = TinybNatives.locate(nativeDir, System.getProperty("os.name"),
                        System.getProperty("os.arch"), extractDir, TinybProvider.class.getClassLoader()::getResourceAsStream);
                for (Path lib : libs) {
                    System.load(lib.toAbsolutePath().toString());
                }
                nativeLoaded = true;
                LOG.info("tinyb native libraries loaded: {}", libs);
            } catch (IOException e) {
                nativeProblem = "tinyb native library cannot load: " + e.getMessage();
            } catch (UnsatisfiedLinkError e) {
                nativeProblem = "tinyb native library cannot load: " + e.getMessage()
                        + (e.getMessage() != null && e.getMessage().contains("another classloader")
                                ? " (the bundle was refreshed: restart Karaf)"
                                : " (check that glib is installed, or set native.library.dir in "
                                        + "etc/org.betaas.ble.tinyb.cfg to the board's libtinyb)");
            }
            if (nativeProblem != null) {
                if (!nativeProblem.equals(lastProblem)) {
                    LOG.warn("BLE provider tinyb unavailable: {}", nativeProblem);
                    lastProblem = nativeProblem;
                }
                throw new BleException(nativeProblem);
            }
        }
    }

    @Override
    public synchronized BleStatus status() {
        try {
            BluetoothAdapter a = adapter();
            return new BleStatus(true, "tinyb on " + bus() + " " + a.getName(), "adapter " + a.getName() + " "
                    + a.getAddress() + (a.getPowered() ? "" : " (powered off)"));
        } catch (BleException e) {
            return new BleStatus(false, endpoint(), e.getMessage());
        } catch (RuntimeException e) {
            adapter = null;
            return new BleStatus(false, endpoint(), "tinyb failed: " + e);
        }
    }

    private synchronized BluetoothManager manager() throws BleException {
        loadNatives();
        if (manager != null) {
            return manager;
        }
        long now = System.currentTimeMillis();
        if (lastAttempt != 0 && now - lastAttempt < RETRY_MS) {
            throw new BleException(lastProblem);
        }
        lastAttempt = now;
        try {
            manager = BluetoothManager.getBluetoothManager();
            return manager;
        } catch (RuntimeException e) {
            lastProblem = "tinyb cannot reach BlueZ on the " + bus() + ": " + e.getMessage()
                    + " (is dbus running with bluetoothd? DBUS_SYSTEM_BUS_ADDRESS names another bus)";
            throw new BleException(lastProblem, e);
        } catch (LinkageError e) {
            lastProblem = "tinyb native library does not match its Java classes: " + e;
            throw new BleException(lastProblem);
        }
    }

    private synchronized BluetoothAdapter adapter() throws BleException {
        if (adapter != null) {
            return adapter;
        }
        BluetoothManager m = manager();
        List<BluetoothAdapter> adapters;
        try {
            adapters = m.getAdapters();
        } catch (RuntimeException e) {
            throw new BleException("no Bluetooth adapter on the " + bus() + ": " + e.getMessage(), e);
        }
        BluetoothAdapter found = null;
        for (BluetoothAdapter a : adapters) {
            if (adapterName.isEmpty() || adapterName.equals(a.getName()) || adapterName.equalsIgnoreCase(a.getAddress())) {
                found = a;
                break;
            }
        }
        if (found == null) {
            List<String> names = adapters.stream().map(BluetoothAdapter::getName).toList();
            throw new BleException(adapters.isEmpty()
                    ? "no Bluetooth adapter on the " + bus() + " (is bluetoothd running and an adapter plugged in?)"
                    : "no Bluetooth adapter " + adapterName + " on the " + bus() + "; there are " + names);
        }
        if (!adapterName.isEmpty()) {
            m.setDefaultAdapter(found);
        }
        adapter = found;
        return adapter;
    }

    private BleException failure(String what, RuntimeException e) {
        adapter = null;
        return new BleException(what + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
    }

    @Override
    public synchronized void startScan() throws BleException {
        BluetoothAdapter a = adapter();
        try {
            if (!a.getPowered()) {
                a.setPowered(true);
            }
            if (!a.getDiscovering()) {
                try {
                    // BLE only: classic inquiry finds nothing this adaptor can read
                    a.setDiscoveryFilter(List.of(), 0, 0, TransportType.LE);
                } catch (RuntimeException e) {
                    LOG.debug("adapter {} refused the LE discovery filter: {}", a.getName(), e.getMessage());
                }
            }
            if (!a.getDiscovering() && !a.startDiscovery()) {
                throw new BleException("adapter " + a.getName() + " refused to start discovery");
            }
        } catch (RuntimeException e) {
            throw failure("starting discovery on " + a.getName(), e);
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
        adapter();
        try {
            List<BleDevice> devices = new ArrayList<>();
            for (BluetoothDevice d : manager.getDevices()) {
                try {
                    String name = d.getName();
                    short rssi = d.getRSSI();
                    // BlueZ has no RSSI property for a device it does not currently receive: tinyb reads 0
                    devices.add(new BleDevice(d.getAddress().toUpperCase(Locale.ROOT), name == null ? "" : name,
                            rssi == 0 ? null : (int) rssi, d.getConnected()));
                } catch (RuntimeException e) {
                    LOG.debug("skipping a device: {}", e.toString());
                }
            }
            devices.forEach(d -> known.add(d.address()));
            return devices;
        } catch (RuntimeException e) {
            throw failure("listing devices", e);
        }
    }

    private synchronized BluetoothDevice device(String address) throws BleException {
        adapter();
        try {
            for (BluetoothDevice d : manager.getDevices()) {
                if (address.equalsIgnoreCase(d.getAddress())) {
                    return d;
                }
            }
        } catch (RuntimeException e) {
            throw failure("looking up " + address, e);
        }
        throw new BleException("BLE device " + address + " is not known to tinyb");
    }

    @Override
    public void connect(String address) throws BleException {
        BluetoothDevice d = device(address);
        try {
            if (!d.getConnected()) {
                try {
                    d.connect();
                } catch (BluetoothException e) {
                    if (e.getMessage() == null || !e.getMessage().contains("AlreadyConnected")) {
                        throw new BleException("BLE device " + address + " refused the connection: " + e.getMessage(), e);
                    }
                }
            }
            long deadline = System.currentTimeMillis() + connectTimeoutMs;
            while (!d.getServicesResolved() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            if (!d.getServicesResolved()) {
                LOG.debug("{}: GATT services not resolved after {} ms, using what is there", address, connectTimeoutMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BleException("interrupted while connecting to " + address, e);
        } catch (RuntimeException e) {
            throw new BleException("connecting to BLE device " + address + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void disconnect(String address) {
        Map<String, BluetoothGattCharacteristic> chars = subscriptions.remove(address.toUpperCase(Locale.ROOT));
        if (chars != null) {
            chars.values().forEach(TinybProvider::quietlyDisable);
        }
        try {
            BluetoothDevice d = device(address);
            if (d.getConnected()) {
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
            for (BluetoothGattService s : device(address).getServices()) {
                for (BluetoothGattCharacteristic c : s.getCharacteristics()) {
                    uuids.add(c.getUUID().toLowerCase(Locale.ROOT));
                }
            }
        } catch (RuntimeException e) {
            throw new BleException("listing GATT characteristics of " + address + ": " + e.getMessage(), e);
        }
        return uuids;
    }

    private BluetoothGattCharacteristic characteristic(String address, String uuid) throws BleException {
        try {
            for (BluetoothGattService s : device(address).getServices()) {
                for (BluetoothGattCharacteristic c : s.getCharacteristics()) {
                    if (uuid.equalsIgnoreCase(c.getUUID())) {
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
            return c.readValue();
        } catch (RuntimeException e) {
            throw new BleException("reading " + uuid + " of " + address + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void subscribe(String address, String uuid) throws BleException {
        BluetoothGattCharacteristic c = characteristic(address, uuid);
        String[] flags = c.getFlags();
        if (flags != null && !List.of(flags).contains("notify") && !List.of(flags).contains("indicate")) {
            throw new BleException(uuid + " of " + address + " neither notifies nor indicates");
        }
        String device = address.toUpperCase(Locale.ROOT);
        String characteristic = uuid.toLowerCase(Locale.ROOT);
        Map<String, BluetoothGattCharacteristic> chars = subscriptions.computeIfAbsent(device, k -> new ConcurrentHashMap<>());
        BluetoothGattCharacteristic previous = chars.put(characteristic, c);
        if (previous != null) {
            quietlyDisable(previous);
        }
        try {
            c.enableValueNotifications(value -> notifyValue(device, characteristic, value));
        } catch (RuntimeException e) {
            chars.remove(characteristic);
            throw new BleException("subscribing to " + uuid + " of " + address + ": " + e.getMessage(), e);
        }
    }

    private void notifyValue(String address, String uuid, byte[] value) {
        if (value == null || !subscriptions.getOrDefault(address, Map.of()).containsKey(uuid)) {
            return;
        }
        for (BleListener l : listeners) {
            try {
                l.valueChanged(address, uuid, value.clone());
            } catch (RuntimeException e) {
                LOG.warn("BLE listener failed on a value of {}: {}", address, e.toString());
            }
        }
    }

    /** tinyb has no removal callback: devices it no longer lists are reported removed. */
    private void checkLost() {
        Set<String> now = new HashSet<>();
        synchronized (this) {
            if (manager == null || known.isEmpty()) {
                return;
            }
            try {
                for (BluetoothDevice d : manager.getDevices()) {
                    now.add(d.getAddress().toUpperCase(Locale.ROOT));
                }
            } catch (RuntimeException e) {
                LOG.debug("checking for lost devices: {}", e.toString());
                return;
            }
        }
        for (String address : Set.copyOf(known)) {
            if (now.contains(address)) {
                continue;
            }
            known.remove(address);
            // its objects are gone from the bus: drop them without calling into them
            subscriptions.remove(address);
            for (BleListener l : listeners) {
                try {
                    l.deviceRemoved(address);
                } catch (RuntimeException e) {
                    LOG.warn("BLE listener failed on the removal of {}: {}", address, e.toString());
                }
            }
        }
        known.addAll(now);
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
