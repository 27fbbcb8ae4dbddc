// Reference for the tests: reads a JSON array of texts on stdin and prints, as a JSON array,
// what Node's dotenv `parse` returns for each.
'use strict'
const dotenv = require('dotenv')

const chunks = []
process.stdin.on('data', (chunk) => chunks.push(chunk))
process.stdin.on('end', () => {
  const texts = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  process.stdout.write(JSON.stringify(texts.map((text) => dotenv.parse(text))))
})
