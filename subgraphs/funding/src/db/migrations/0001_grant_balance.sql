-- Grant balances are derived from transactions, never stored. This keeps the sums of every grant a
-- transaction touches in order, checked at commit (so one transaction may write its rows in any order):
-- disbursed ≤ committed, spent ≤ disbursed, refunded ≤ spent.
CREATE FUNCTION "funding"."check_grant_balance"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  touched text[];
  bad record;
BEGIN
  touched := CASE TG_OP
    WHEN 'INSERT' THEN ARRAY[NEW.grant_id]
    WHEN 'DELETE' THEN ARRAY[OLD.grant_id]
    ELSE ARRAY[NEW.grant_id, OLD.grant_id]
  END;
  SELECT * INTO bad FROM (
    SELECT t.grant_id,
      coalesce(sum(t.amount_fen) FILTER (WHERE t.type = 'COMMITMENT'), 0) AS committed,
      coalesce(sum(t.amount_fen) FILTER (WHERE t.type = 'DISBURSEMENT'), 0) AS disbursed,
      coalesce(sum(t.amount_fen) FILTER (WHERE t.type = 'EXPENDITURE'), 0) AS spent,
      coalesce(sum(t.amount_fen) FILTER (WHERE t.type = 'REFUND'), 0) AS refunded
    FROM "funding"."transactions" t
    WHERE t.grant_id = ANY (touched)
    GROUP BY t.grant_id
  ) sums
  WHERE sums.disbursed > sums.committed OR sums.spent > sums.disbursed OR sums.refunded > sums.spent
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'transactions_balance_check: grant % would have committed %, disbursed %, spent %, refunded % (fen)',
      bad.grant_id, bad.committed, bad.disbursed, bad.spent, bad.refunded
      USING ERRCODE = 'check_violation', CONSTRAINT = 'transactions_balance_check', TABLE = 'transactions', SCHEMA = 'funding';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "transactions_balance_check"
  AFTER INSERT OR UPDATE OR DELETE ON "funding"."transactions"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "funding"."check_grant_balance"();
