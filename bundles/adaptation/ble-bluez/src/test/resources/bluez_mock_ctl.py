"""Drives a python3-dbusmock BlueZ (bluez5 template) for the BLE tests.

The bluez5 template has adapters and devices but no GATT: GATT services and characteristics are added here
with dbusmock's generic AddObject (org.bluez.GattService1 / org.bluez.GattCharacteristic1 with a Value
property, ReadValue, StartNotify and StopNotify), at the object paths bluetoothd uses.

Usage: python3 bluez_mock_ctl.py BUS_ADDRESS COMMAND ARGS...
  wait                                   until org.bluez is on the bus (10 s at most)
  adapter hci0 NAME                      AddAdapter
  device hci0 ADDRESS NAME RSSI          AddDevice, then its RSSI
  gatt DEVICE_PATH UUID=HEX...           one primary service holding these characteristics
  value CHAR_PATH HEX                    a new value, notified as PropertiesChanged
  rssi DEVICE_PATH RSSI                  a new RSSI
  remove hci0 DEVICE_PATH                the device leaves: GATT objects dropped, then RemoveDevice
"""
import sys
import time

import dbus

MOCK = 'org.freedesktop.DBus.Mock'
CHAR = 'org.bluez.GattCharacteristic1'


def value(hex_string):
    return dbus.Array([dbus.Byte(b) for b in bytes.fromhex(hex_string)], signature='y')


def main(address, command, *args):
    bus = dbus.bus.BusConnection(address)
    if command == 'wait':
        deadline = time.time() + 10
        while not bus.name_has_owner('org.bluez'):
            if time.time() > deadline:
                sys.exit('org.bluez did not appear on ' + address)
            time.sleep(0.05)
        return
    root = bus.get_object('org.bluez', '/')
    if command == 'adapter':
        root.AddAdapter(args[0], args[1], dbus_interface='org.bluez.Mock')
    elif command == 'device':
        path = root.AddDevice(args[0], args[1], args[2], dbus_interface='org.bluez.Mock')
        bus.get_object('org.bluez', path).UpdateProperties(
            'org.bluez.Device1', {'RSSI': dbus.Int16(int(args[3]))}, dbus_interface=MOCK)
        print(path)
    elif command == 'gatt':
        device = args[0]
        service = device + '/service0010'
        root.AddObject(service, 'org.bluez.GattService1', {
            'UUID': '0000181a-0000-1000-8000-00805f9b34fb',  # Environmental Sensing
            'Primary': dbus.Boolean(True),
            'Device': dbus.ObjectPath(device),
            'Includes': dbus.Array([], signature='o'),
        }, [], dbus_interface=MOCK)
        for i, spec in enumerate(args[1:]):
            uuid, hex_value = spec.split('=')
            path = f'{service}/char{0x11 + 2 * i:04x}'
            root.AddObject(path, CHAR, {
                'UUID': uuid,
                'Service': dbus.ObjectPath(service),
                'Value': value(hex_value),
                'Notifying': dbus.Boolean(False),
                'Flags': dbus.Array(['read', 'notify'], signature='s'),
            }, [
                ('ReadValue', 'a{sv}', 'ay', f"ret = self.Get('{CHAR}', 'Value')"),
                ('StartNotify', '', '', f"self.UpdateProperties('{CHAR}', {{'Notifying': dbus.Boolean(True)}})"),
                ('StopNotify', '', '', f"self.UpdateProperties('{CHAR}', {{'Notifying': dbus.Boolean(False)}})"),
            ], dbus_interface=MOCK)
            print(path)
        bus.get_object('org.bluez', device).UpdateProperties(
            'org.bluez.Device1', {'ServicesResolved': dbus.Boolean(True)}, dbus_interface=MOCK)
    elif command == 'value':
        bus.get_object('org.bluez', args[0]).UpdateProperties(CHAR, {'Value': value(args[1])}, dbus_interface=MOCK)
    elif command == 'rssi':
        bus.get_object('org.bluez', args[0]).UpdateProperties(
            'org.bluez.Device1', {'RSSI': dbus.Int16(int(args[1]))}, dbus_interface=MOCK)
    elif command == 'remove':
        device = args[1]
        children = [p for p in root.GetManagedObjects(dbus_interface='org.freedesktop.DBus.ObjectManager')
                    if p.startswith(device + '/')]
        for p in sorted(children, reverse=True):
            root.RemoveObject(p, dbus_interface=MOCK)
        bus.get_object('org.bluez', '/org/bluez/' + args[0]).RemoveDevice(
            dbus.ObjectPath(device), dbus_interface='org.bluez.Adapter1')
    else:
        sys.exit('unknown command ' + command)


if __name__ == '__main__':
    main(*sys.argv[1:])
