// A PostgreSQL database's objects as its own catalogues list them (pg_class, pg_proc, pg_trigger,
// pg_constraint, pg_type, pg_extension, pg_namespace), each with its owner; what an extension
// brought is the extension's, not listed again. Sequences with the value they give next, the
// column they feed (owned by, identity, or a column default that calls them) and that column's
// highest value. One query per database, run with the image's own psql.

/** Schemas of the server's own, never a dump's. */
const SYSTEM = `('pg_catalog', 'information_schema', 'pg_toast')`;
const USER_SCHEMA = (column: string) => `${column} NOT IN ${SYSTEM} AND ${column} NOT LIKE 'pg_temp_%' AND ${column} NOT LIKE 'pg_toast_temp_%'`;
/** Not an extension's member: the extension is listed, its members come with it. */
const OWN = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`;

/**
 * kind, name, owner: one row per object, tab-separated. Every new database has the schema public
 * and the extension plpgsql from template1: they say nothing of a restore, and are left out.
 */
export const OBJECTS_SQL = `
SELECT 'schema', n.nspname, pg_get_userbyid(n.nspowner) FROM pg_namespace n
 WHERE ${USER_SCHEMA('n.nspname')} AND ${OWN('pg_namespace', 'n.oid')} AND n.nspname <> 'public'
UNION ALL
SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized-view' WHEN 'S' THEN 'sequence' END,
       n.nspname || '.' || c.relname, pg_get_userbyid(c.relowner)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND ${USER_SCHEMA('n.nspname')} AND ${OWN('pg_class', 'c.oid')}
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
       n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', pg_get_userbyid(p.proowner)
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE ${USER_SCHEMA('n.nspname')} AND ${OWN('pg_proc', 'p.oid')}
UNION ALL
SELECT 'trigger', n.nspname || '.' || c.relname || '.' || t.tgname, pg_get_userbyid(c.relowner)
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE NOT t.tgisinternal AND ${USER_SCHEMA('n.nspname')} AND ${OWN('pg_class', 'c.oid')}
UNION ALL
SELECT 'index', n.nspname || '.' || t.relname || '.' || i.relname, pg_get_userbyid(i.relowner)
  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = i.relnamespace
 WHERE ${USER_SCHEMA('n.nspname')} AND ${OWN('pg_class', 't.oid')} AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u', 'x'))
UNION ALL
SELECT CASE k.contype WHEN 'p' THEN 'primary-key' WHEN 'u' THEN 'unique' WHEN 'f' THEN 'foreign-key' ELSE 'check' END,
       n.nspname || '.' || coalesce(c.relname, ty.typname) || '.' || k.conname, pg_get_userbyid(coalesce(c.relowner, ty.typowner))
  FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
  LEFT JOIN pg_class c ON c.oid = k.conrelid LEFT JOIN pg_type ty ON ty.oid = k.contypid
 WHERE k.contype IN ('p', 'u', 'f', 'c') AND ${USER_SCHEMA('n.nspname')} AND ${OWN('pg_class', 'coalesce(c.oid, 0)')} AND ${OWN('pg_type', 'coalesce(ty.oid, 0)')}
UNION ALL
SELECT 'extension', x.extname, pg_get_userbyid(x.extowner) FROM pg_extension x WHERE x.extname <> 'plpgsql'
UNION ALL
SELECT CASE ty.typtype WHEN 'e' THEN 'enum' ELSE 'domain' END, n.nspname || '.' || ty.typname, pg_get_userbyid(ty.typowner)
  FROM pg_type ty JOIN pg_namespace n ON n.oid = ty.typnamespace
 WHERE ty.typtype IN ('e', 'd') AND ${USER_SCHEMA('n.nspname')} AND ${OWN('pg_type', 'ty.oid')}
ORDER BY 1, 2;
`;

/** Roles granted privileges on the database's own relations, routines and schemas (beside their owners). */
export const GRANTEES_SQL = `
SELECT DISTINCT pg_get_userbyid(a.grantee) FROM (
  SELECT (aclexplode(c.relacl)).grantee FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relacl IS NOT NULL AND ${USER_SCHEMA('n.nspname')}
  UNION ALL SELECT (aclexplode(p.proacl)).grantee FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proacl IS NOT NULL AND ${USER_SCHEMA('n.nspname')}
  UNION ALL SELECT (aclexplode(n.nspacl)).grantee FROM pg_namespace n WHERE n.nspacl IS NOT NULL AND ${USER_SCHEMA('n.nspname')}
) a WHERE a.grantee <> 0 ORDER BY 1;
`;

/**
 * Each sequence: name, next value, increment, and the column it feeds with its table and whether
 * the column is unique (a primary key or a unique constraint on it alone), as a statement that
 * reads the column's highest value: run through \\gexec, one row per sequence.
 */
export const SEQUENCES_SQL = `
WITH fed AS (
  SELECT d.objid AS seq, d.refobjid AS rel, d.refobjsubid AS att FROM pg_depend d
   WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
  UNION
  SELECT d.refobjid, ad.adrelid, ad.adnum FROM pg_depend d JOIN pg_attrdef ad ON ad.oid = d.objid
   WHERE d.classid = 'pg_attrdef'::regclass AND d.refclassid = 'pg_class'::regclass
), sequences AS (
  SELECT s.schemaname || '.' || s.sequencename AS name,
         CASE WHEN s.last_value IS NULL THEN s.start_value ELSE s.last_value + s.increment_by END AS next,
         s.increment_by AS increment, c.oid AS seq
    FROM pg_sequences s JOIN pg_namespace n ON n.nspname = s.schemaname JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename
)
SELECT format('SELECT %L, %s, %s, %L, %L, %L, (SELECT %s(%I)::text FROM %I.%I)',
              q.name, q.next, q.increment, tn.nspname || '.' || t.relname, a.attname,
              EXISTS (SELECT FROM pg_constraint k WHERE k.conrelid = t.oid AND k.contype IN ('p', 'u') AND k.conkey = ARRAY[a.attnum]),
              CASE WHEN q.increment > 0 THEN 'max' ELSE 'min' END, a.attname, tn.nspname, t.relname)
  FROM sequences q
  LEFT JOIN fed f ON f.seq = q.seq LEFT JOIN pg_class t ON t.oid = f.rel LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
  LEFT JOIN pg_attribute a ON a.attrelid = f.rel AND a.attnum = f.att
 WHERE t.oid IS NOT NULL
UNION ALL
SELECT format('SELECT %L, %s, %s, NULL, NULL, false, NULL', q.name, q.next, q.increment)
  FROM sequences q WHERE NOT EXISTS (SELECT FROM fed f WHERE f.seq = q.seq)
\\gexec
`;
