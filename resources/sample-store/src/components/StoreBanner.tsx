'use client'

import { useState } from 'react'

// Runs in the browser: only NEXT_PUBLIC_ variables are available here (inlined at build time).
const storeUrl = process.env.NEXT_PUBLIC_STORE_URL
const locale = process.env.NEXT_PUBLIC_DEFAULT_LOCALE ?? 'en-US'

export default function StoreBanner() {
  const [dismissed, setDismissed] = useState(false)
  if (dismissed) return null
  return (
    <aside data-fs-store-banner lang={locale}>
      <p>
        Free shipping on orders over $50 at <a href={storeUrl}>{new URL(storeUrl ?? '/').host}</a>
      </p>
      <button onClick={() => setDismissed(true)}>Close</button>
    </aside>
  )
}
