// Store settings read at build time. Credentials are not here: WebOps injects them as
// environment variables (FS_DISCOVERY_APP_KEY, FS_DISCOVERY_APP_TOKEN) when it builds.
module.exports = {
  api: {
    storeId: process.env.VTEX_ACCOUNT,
    workspace: 'master',
    environment: 'vtexcommercestable',
  },
  storeUrl: process.env.NEXT_PUBLIC_STORE_URL,
  session: {
    locale: process.env.NEXT_PUBLIC_DEFAULT_LOCALE ?? 'en-US',
    currency: { code: 'USD', symbol: '$' },
  },
}
