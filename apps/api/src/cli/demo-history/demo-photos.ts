import { createHash } from 'node:crypto';
import sharp from 'sharp';

/**
 * A stand-in site photo for the demo: a house drawn over a colour taken from the name, so every run makes the same
 * bytes (the same SHA-256) and a second seed stores nothing new.
 */
export async function demoPhoto(name: string): Promise<Buffer> {
  const h = createHash('sha256').update(name).digest();
  const sky = `rgb(${120 + (h[0] % 100)},${150 + (h[1] % 80)},${190 + (h[2] % 60)})`;
  const wall = `rgb(${170 + (h[3] % 70)},${150 + (h[4] % 60)},${120 + (h[5] % 60)})`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360">
    <rect width="480" height="360" fill="${sky}"/><rect y="270" width="480" height="90" fill="rgb(110,150,90)"/>
    <polygon points="140,170 240,${90 + (h[6] % 30)} 340,170" fill="rgb(150,60,50)"/>
    <rect x="160" y="170" width="160" height="110" fill="${wall}"/><rect x="225" y="215" width="32" height="65" fill="rgb(90,60,40)"/>
    <rect x="${175 + (h[7] % 20)}" y="190" width="30" height="26" fill="rgb(200,220,240)"/></svg>`;
  return sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer();
}
