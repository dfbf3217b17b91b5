/** participated ÷ registered; null when nobody was registered (or before the count). */
export function rate(participated: number | null, registered: number): number | null {
  return participated === null || registered === 0 ? null : participated / registered;
}
