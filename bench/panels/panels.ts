// The panels' horizons h and periods m (M4's for hourly, weekly, monthly, quarterly, yearly; 14 days for
// daily, as the held-out sets' READMEs say), shared by the bench/panels scripts.
export const PANEL_SPECS: Record<string, { h: number; m: number }> = {
  hourly: { h: 48, m: 24 }, daily: { h: 14, m: 1 }, weekly: { h: 13, m: 1 }, monthly: { h: 18, m: 12 }, quarterly: { h: 8, m: 4 }, yearly: { h: 6, m: 1 },
};
