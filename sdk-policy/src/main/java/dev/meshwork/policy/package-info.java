/**
 * Policy adapter: in-process access and governance decisions (see the policy issue; not built yet).
 */
package dev.meshwork.policy;
