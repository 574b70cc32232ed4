// The report schema's version, apart from the schema itself: reading it must not load the schema
// builder (typebox), which commands that only write a report never need.
export const REPORT_SCHEMA_VERSION = 16;
