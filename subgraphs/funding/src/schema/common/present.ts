/** The row a non-null field points to; its absence breaks a foreign key, so it is a server error. */
export async function present<T>(row: Promise<T | null>, what: string): Promise<T> {
  const found = await row;
  if (found === null) throw new Error(`${what} does not exist`);
  return found;
}
