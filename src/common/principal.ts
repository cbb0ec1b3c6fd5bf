export interface Principal {
  /** Stable identifier: JWT `sub`, the API key's principal, or the local user name. Used in the IPID. */
  name: string;
  roles: string[];
  via: 'jwt' | 'api-key' | 'basic';
}
