package org.betaas.taas.resources.placement;

/**
 * The tunable thresholds of the allocation policy.
 *
 * @param trustThreshold gateways trusted less than this (0..1) are not used
 * @param powerfulPower  a gateway of at least this power counts as powerful (Big Data computation nodes)
 * @param shortageLevel  the instance runs short when, after this VM, less than this fraction (0..1) of its CPU or
 *                       memory would be predicted free; then computation/heavy VMs give way to storage/light ones
 */
public record PolicySettings(double trustThreshold, double powerfulPower, double shortageLevel) {

    public static final PolicySettings DEFAULTS = new PolicySettings(0.5, 4.0, 0.1);
}
