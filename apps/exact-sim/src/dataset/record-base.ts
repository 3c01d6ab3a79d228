/** Every stored record has an ID; records of the sync entities also carry their row version. */
export interface Keyed {
  ID: string;
}

export interface Stamped extends Keyed {
  Timestamp: number;
}

/** The audit fields Exact puts on most records (dates as "/Date(ms)/"). */
export interface Audited {
  Created: string;
  Modified: string;
  Division: number;
}
