# Meshwork grants for Trino's OPA access control (generated data lives in data.json under
# data.meshwork). Configure Trino with:
#   opa.policy.uri=http://opa:8181/v1/data/meshwork/trino/allow
#   opa.policy.row-filters-uri=http://opa:8181/v1/data/meshwork/trino/rowFilters
#   opa.policy.column-masking-uri=http://opa:8181/v1/data/meshwork/trino/columnMask
# Meshwork only governs the tables of its data products (data.meshwork.tables); other operations
# are left to the access control systems configured alongside this one.
package meshwork.trino

import rego.v1

default allow := false

identity := input.context.identity

# The table key of a Trino table resource, when it is a Meshwork product table.
product_table(t) := key if {
	t.catalogName == data.meshwork.catalog
	key := concat(".", [t.schemaName, t.tableName])
	data.meshwork.tables[key]
}

principal_matches(g) if "*" in g.principals

principal_matches(g) if concat(":", ["user", identity.user]) in g.principals

principal_matches(g) if concat(":", ["service", identity.user]) in g.principals

principal_matches(g) if {
	some group in identity.groups
	concat(":", ["group", group]) in g.principals
}

principal_matches(g) if {
	some group, members in data.meshwork.groups
	concat(":", ["group", group]) in g.principals
	some member in members
	member in {identity.user, concat(":", ["user", identity.user]), concat(":", ["service", identity.user])}
}

# As in the SDK, the first applicable grant decides (and brings its masks and row filter).
applicable(key) := {i | some i, g in data.meshwork.grants; key in g.tables; principal_matches(g)}

decisive_grant(key) := data.meshwork.grants[min(applicable(key))] if count(applicable(key)) > 0

# A usage contract covering this user and table is bound to purposes Trino cannot carry, or is
# outside its validity window: the user reads the table through the SDK, not through Trino.
blocked(key) if {
	some uc in data.meshwork.usageContracts
	data.meshwork.tables[key].contract in uc.contracts
	principal_matches({"principals": uc.consumers})
	not usable(uc)
}

usable(uc) if {
	count(uc.purposes) == 0
	within_window(uc)
}

within_window(uc) if {
	not uc.validFrom
	not uc.validUntil
}

within_window(uc) if {
	uc.validFrom
	not uc.validUntil
	time.now_ns() >= time.parse_rfc3339_ns(uc.validFrom)
}

within_window(uc) if {
	not uc.validFrom
	uc.validUntil
	time.now_ns() < time.parse_rfc3339_ns(uc.validUntil)
}

within_window(uc) if {
	uc.validFrom
	uc.validUntil
	time.now_ns() >= time.parse_rfc3339_ns(uc.validFrom)
	time.now_ns() < time.parse_rfc3339_ns(uc.validUntil)
}

# A grant Trino cannot check (a CEL condition, a row filter outside SQL's reach) is a barrier:
# where it would decide, the SDK might mask or filter, so Trino does not read at all.
readable(key) if {
	decisive_grant(key)
	not decisive_grant(key).barrier
	not blocked(key)
}

read_operations := {"SelectFromColumns", "FilterTables", "FilterColumns", "ShowColumns"}

# Reading a product table needs a grant.
allow if {
	input.action.operation in read_operations
	key := product_table(input.action.resource.table)
	readable(key)
}

# Product tables change only through Meshwork runs; everything else is for other systems.
allow if {
	not product_table(object.get(input.action, ["resource", "table"], {}))
}

columnMask := {"expression": expression} if {
	input.action.operation == "GetColumnMask"
	column := input.action.resource.column
	key := product_table({"catalogName": column.catalogName, "schemaName": column.schemaName, "tableName": column.tableName})
	mask := decisive_grant(key).masks[key][column.columnName]
	expression := mask_sql(mask, column)
}

# A mask's SQL for the column's type; a type the mask cannot keep (and kind null) is a typed NULL.
mask_sql(mask, column) := mask.sql[base_type(column.columnType)]

mask_sql(mask, column) := sprintf("CAST(NULL AS %s)", [column.columnType]) if {
	not mask.sql[base_type(column.columnType)]
}

base_type(t) := "varchar" if startswith(t, "varchar")

base_type(t) := t if not startswith(t, "varchar")

rowFilters contains {"expression": filter} if {
	input.action.operation == "GetRowFilters"
	key := product_table(input.action.resource.table)
	filter := decisive_grant(key).rowFilter
}
