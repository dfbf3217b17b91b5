-- Every substring of one to three characters of a name, lower-cased: the keys of the name-search index.
-- A name contains a needle only if its parts include all of the needle's parts, so the index narrows the
-- search to candidates that ILIKE then confirms. plpgsql: about four times faster than a set-returning SQL
-- version, which matters when the index is built over 5.73 million names.
CREATE OR REPLACE FUNCTION "people"."name_parts"(name text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  folded text := lower(name);
  size int := char_length(folded);
  parts text[] := '{}';
BEGIN
  FOR start IN 1..size LOOP
    FOR width IN 1..least(3, size - start + 1) LOOP
      parts := parts || substr(folded, start, width);
    END LOOP;
  END LOOP;
  RETURN parts;
END
$$;
--> statement-breakpoint
CREATE INDEX "persons_name_parts_idx" ON "people"."persons" USING gin (people.name_parts("name"));
