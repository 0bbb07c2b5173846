-- The audit log is append-only: the database itself refuses to change or remove an entry.
-- The function body is an E'' string with \073 for its semicolon: migrations are split into statements
-- at semicolons, and a dollar-quoted body would be cut in two.
CREATE FUNCTION "carrel_audit_append_only"() RETURNS trigger LANGUAGE plpgsql
    AS E'BEGIN RAISE EXCEPTION ''the audit log is append-only''\073 END';

CREATE TRIGGER "AuditEntry_append_only" BEFORE UPDATE OR DELETE ON "AuditEntry"
    FOR EACH ROW EXECUTE FUNCTION "carrel_audit_append_only"();
