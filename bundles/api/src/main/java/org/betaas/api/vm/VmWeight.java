package org.betaas.api.vm;

/** How demanding a VM is; light VMs come first when the instance runs short of resources. */
public enum VmWeight {
    LIGHT,
    HEAVY
}
