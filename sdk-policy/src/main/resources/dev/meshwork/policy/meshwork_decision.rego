# Meshwork's access decision for the SDK's OPA engines; the policy set it mirrors is data.json,
# under data.meshwork.access. Point the SDK at it with
#   OpaRestPolicyEngine.builder(URI.create("http://opa:8181")).path("meshwork/decision")
# The input and the result are those of the SDK's OPA engines (docs/policy.md): the result is
# {allow, reasons, masks, rowFilter, terms}, and anything else is a deny there.
#
# As in the SDK's built-in engine: a usage contract covering the reader and the port's contract
# must be within its window and list the declared purpose, else the read is denied; then the first
# applicable grant in file order decides and brings its masks, row filter and terms. Where the
# export cannot follow the SDK (a grant's CEL condition, masks of a contract it was not given),
# it denies rather than allow more than the SDK would.
package meshwork

import rego.v1

default decision := {"allow": false, "reasons": ["meshwork/decision could not decide (fail closed)"]}

policies := data.meshwork.access

principal := concat(":", [input.principal.kind, input.principal.name])

# Who the principal is: itself and its groups (from the input and from data.meshwork.access.groups).
identities contains id if {
	id := principal
}

identities contains concat(":", ["group", group]) if {
	some group in input.principal.groups
}

identities contains concat(":", ["group", group]) if {
	some group, members in policies.groups
	some member in members
	member in {principal, input.principal.name}
}

covers(patterns) if "*" in patterns

covers(patterns) if {
	some id in identities
	id in patterns
}

# An empty selector, or one with '*', selects everything.
selects(selector, _) if count(selector) == 0

selects(selector, _) if "*" in selector

selects(selector, values) if {
	some value in values
	value in selector
}

# Port and contract selectors apply to port actions only; RUN has no port.
port_selected(_) if input.port == null

port_selected(g) if {
	input.port != null
	selects(g.ports, [input.port])
	selects(g.contracts, [input.contract])
}

purpose_allowed(g) if count(g.purposes) == 0

purpose_allowed(g) if input.purpose in g.purposes

applicable contains i if {
	some i, g in policies.grants
	input.action in g.actions
	covers(g.principals)
	selects(g.products, [input.product.id, input.product.name])
	port_selected(g)
	purpose_allowed(g)
}

decisive := policies.grants[min(applicable)] if count(applicable) > 0

malformed if {
	input.action != "RUN"
	input.port == null
}

malformed if {
	input.action != "RUN"
	input.contract == null
}

usage contains uc if {
	input.action == "READ"
	some uc in policies.usageContracts
	covers(uc.consumers)
	input.contract in uc.contracts
}

# Times are compared in nanoseconds since the epoch (input.timeNs, the windows' *Ns), so the
# policy needs no time parsing and compiles to Wasm with nothing the host must provide.
now_ns := input.timeNs if is_number(input.timeNs)

usage_denials contains sprintf("usage contract %s is valid only from %s", [uc.id, uc.validFrom]) if {
	some uc in usage
	now_ns < uc.validFromNs
}

usage_denials contains sprintf("usage contract %s expired at %s", [uc.id, uc.validUntil]) if {
	some uc in usage
	now_ns >= uc.validUntilNs
}

usage_denials contains msg if {
	some uc in usage
	count(uc.purposes) > 0
	not purpose_listed(uc)
	msg := sprintf("usage contract %s allows purposes %v, but the run declared %v", [uc.id, uc.purposes, input.purpose])
}

purpose_listed(uc) if input.purpose in uc.purposes

# Without a time the windows cannot be checked: deny rather than skip them.
usage_denials contains msg if {
	some uc in usage
	windowed(uc)
	not now_ns
	msg := sprintf("usage contract %s has a validity window, and the input has no timeNs to check it against (fail closed)", [uc.id])
}

windowed(uc) if uc.validFromNs

windowed(uc) if uc.validUntilNs

usage_reasons contains sprintf("usage contract %s allows %s to read %s for '%v'", [uc.id, principal, input.contract, input.purpose]) if {
	some uc in usage
}

usage_terms contains sprintf("%s: %s", [uc.id, term]) if {
	some uc in usage
	some term in uc.terms
}

usage_terms contains sprintf("%s: expires at %s", [uc.id, uc.validUntil]) if {
	some uc in usage
	uc.validUntil
}

grant_terms := [sprintf("%s: %s", [decisive.id, term]) | some term in decisive.terms]

grant_masks := decisive.masks[input.contract] if {
	decisive.masked
	input.contract != null
}

grant_masks := [] if not decisive.masked

grant_masks := [] if input.contract == null

decision := {"allow": false, "reasons": ["malformed request (fail closed): a port action needs the port and its contract"]} if {
	malformed
} else := {"allow": false, "reasons": sort(usage_denials)} if {
	count(usage_denials) > 0
} else := {"allow": false, "reasons": [reason]} if {
	decisive.condition != null
	reason := sprintf("grant %s has the condition %s, which this export does not evaluate (fail closed); decide with the SDK's engine, or drop the condition", [decisive.id, decisive.condition])
} else := {"allow": false, "reasons": [reason]} if {
	decisive.masked
	input.contract != null
	not decisive.masks[input.contract]
	reason := sprintf("grant %s masks columns, and the export was not given a product with contract %s to resolve them (fail closed); export again with that product", [decisive.id, input.contract])
} else := result if {
	reasons := array.concat(sort(usage_reasons), [sprintf("grant %s allows %s to %s", [decisive.id, principal, input.action])])
	result := {
		"allow": true,
		"reasons": reasons,
		"masks": grant_masks,
		"rowFilter": decisive.rowFilter,
		"terms": array.concat(sort(usage_terms), grant_terms),
	}
} else := {"allow": true, "reasons": sort(usage_reasons), "terms": sort(usage_terms)} if {
	count(usage) > 0
} else := {"allow": false, "reasons": [reason]} if {
	reason := sprintf("no grant allows %s to %s port '%v' of product '%s'", [principal, input.action, input.port, input.product.name])
}
