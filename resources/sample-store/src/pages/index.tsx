import StoreBanner from '../components/StoreBanner'
import { searchProducts } from '../server/discovery'

export async function getServerSideProps() {
  const { products } = await searchProducts('shirt')
  return { props: { products: products.slice(0, 8) } }
}

export default function Home({ products }: { products: Array<{ productId: string; productName: string }> }) {
  return (
    <main>
      <StoreBanner />
      <h1>New arrivals</h1>
      <ul>
        {products.map((product) => (
          <li key={product.productId}>{product.productName}</li>
        ))}
      </ul>
    </main>
  )
}
