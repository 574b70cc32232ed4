// A MySQL or MariaDB server's objects as information_schema lists them, in every database but the
// server's own: tables, views, routines, triggers, events, sequences (MariaDB), constraints and
// the indexes no constraint owns, each view's, routine's, trigger's and event's definer. MariaDB's
// SEQUENCE objects with the value each gives next and the column whose default calls it.

export const SYSTEM_SCHEMAS = "'mysql', 'information_schema', 'performance_schema', 'sys'";

/** kind, database, name, definer: one row per object, tab-separated (NULL where none). */
export const OBJECTS_SQL = `
SELECT 'table', table_schema, table_name, NULL FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN (${SYSTEM_SCHEMAS})
UNION ALL SELECT 'sequence', table_schema, table_name, NULL FROM information_schema.tables WHERE table_type = 'SEQUENCE' AND table_schema NOT IN (${SYSTEM_SCHEMAS})
UNION ALL SELECT 'view', table_schema, table_name, definer FROM information_schema.views WHERE table_schema NOT IN (${SYSTEM_SCHEMAS})
UNION ALL SELECT LOWER(routine_type), routine_schema, routine_name, definer FROM information_schema.routines WHERE routine_schema NOT IN (${SYSTEM_SCHEMAS})
UNION ALL SELECT 'trigger', trigger_schema, CONCAT(event_object_table, '.', trigger_name), definer FROM information_schema.triggers WHERE trigger_schema NOT IN (${SYSTEM_SCHEMAS})
UNION ALL SELECT 'event', event_schema, event_name, definer FROM information_schema.events WHERE event_schema NOT IN (${SYSTEM_SCHEMAS})
UNION ALL SELECT CASE constraint_type WHEN 'PRIMARY KEY' THEN 'primary-key' WHEN 'UNIQUE' THEN 'unique' WHEN 'FOREIGN KEY' THEN 'foreign-key' ELSE 'check' END,
                 table_schema, CONCAT(table_name, '.', constraint_name), NULL
            FROM information_schema.table_constraints WHERE table_schema NOT IN (${SYSTEM_SCHEMAS})
UNION ALL SELECT DISTINCT 'index', s.table_schema, CONCAT(s.table_name, '.', s.index_name), NULL FROM information_schema.statistics s
           WHERE s.table_schema NOT IN (${SYSTEM_SCHEMAS}) AND NOT EXISTS (SELECT 1 FROM information_schema.table_constraints k
                 WHERE k.table_schema = s.table_schema AND k.table_name = s.table_name AND k.constraint_name = s.index_name)
ORDER BY 1, 2, 3;
`;

const name = (column: string) => `CONCAT('\`', REPLACE(${column}, '\`', '\`\`'), '\`')`;

/**
 * One statement per MariaDB sequence (and per column fed by it) that reads the sequence's next
 * value and increment, and the fed column's highest value: database, name, next, increment,
 * table, column, unique, highest. MySQL has no SEQUENCE objects: no statement.
 */
export const SEQUENCE_STATEMENTS_SQL = `
SELECT CONCAT('SELECT ', QUOTE(t.table_schema), ', ', QUOTE(t.table_name), ', next_not_cached_value, increment, ',
              IFNULL(QUOTE(c.table_name), 'NULL'), ', ', IFNULL(QUOTE(c.column_name), 'NULL'), ', ', IF(c.column_key IN ('PRI', 'UNI'), 1, 0), ', ',
              IF(c.table_name IS NULL, 'NULL', CONCAT('(SELECT MAX(', ${name('c.column_name')}, ') FROM ', ${name('c.table_schema')}, '.', ${name('c.table_name')}, ')')),
              ' FROM ', ${name('t.table_schema')}, '.', ${name('t.table_name')}, ';')
  FROM information_schema.tables t
  LEFT JOIN information_schema.columns c ON c.table_schema = t.table_schema
       AND (c.column_default LIKE CONCAT('%nextval(\`', t.table_schema, '\`.\`', t.table_name, '\`)%') OR c.column_default LIKE CONCAT('%nextval(\`', t.table_name, '\`)%'))
 WHERE t.table_type = 'SEQUENCE' AND t.table_schema NOT IN (${SYSTEM_SCHEMAS});
`;

/** The accounts that exist on the server, as information_schema writes a definer (user@host). */
export const ACCOUNTS_SQL = "SELECT CONCAT(user, '@', host) FROM mysql.user;\n";
