package org.betaas.api.vm;

/** The life-cycle state of a VM as the VM Manager knows it. */
public enum VmState {
    /** Defined on its hypervisor or cloud, not running yet. */
    DEFINED,
    RUNNING,
    /** Stopped (suspended locally, shut off in the cloud): resumable. */
    STOPPED,
    /** The hypervisor or cloud reports an error. */
    FAILED,
    /** Known to the VM Manager but no longer reported by its hypervisor or cloud. */
    VANISHED,
    DESTROYED
}
