import 'server-only'

// Server-side only: these credentials must never reach a client component.
const account = process.env.VTEX_ACCOUNT
const appKey = process.env.FS_DISCOVERY_APP_KEY
const appToken = process.env.FS_DISCOVERY_APP_TOKEN

export async function searchProducts(term: string) {
  const url = `https://${account}.vtexcommercestable.com.br/api/io/_v/api/intelligent-search/product_search?query=${encodeURIComponent(term)}`
  const response = await fetch(url, {
    headers: {
      'X-VTEX-API-AppKey': appKey ?? '',
      'X-VTEX-API-AppToken': appToken ?? '',
    },
  })
  if (!response.ok) throw new Error(`Search failed with status ${response.status}`)
  return response.json()
}
