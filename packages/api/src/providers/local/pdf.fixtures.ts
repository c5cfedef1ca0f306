import { PDFDocument, StandardFonts } from "pdf-lib";

/** A PDF with one text line per array entry, page by page (pdf-lib, standard Helvetica). */
export async function makePdf(pages: string[][]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([612, 792]);
    let y = 740;
    for (const line of lines) {
      page.drawText(line, { x: 40, y, size: 9, font });
      y -= 16;
    }
  }
  return doc.save();
}

export const contractPages = [
  [
    "PHOTOGRAPHY SERVICES AGREEMENT",
    'This Agreement is made on 3 March 2026 between Evermore Photography Ltd (the "Supplier") and Emma Smith & Liam Jones (the "Client").',
    "1. Services",
    "The Supplier shall photograph the wedding on 12 June 2027 at Hengrave Hall, from 13:00 until 22:00.",
    "2. Fees and Payment Terms",
    "The total fee is £3,250.00. A non-refundable deposit of £500.00 is due on signature.",
    "The balance of £2,750.00 is due by 12/05/2027.",
  ],
  [
    "3. Cancellation",
    "If the Client cancels after 1 January 2027, 50% of the total fee is payable.",
    "Terms and Conditions",
    "These terms are governed by the law of England and Wales.",
    "Signature",
    "Signed for the Supplier: ____________________",
    "Signed for the Client: ____________________",
  ],
];

export const invoicePages = [
  [
    "INVOICE",
    "Invoice number: INV-2027-014",
    "Invoice date: 15/01/2027",
    "Bill to:",
    "Emma Smith & Liam Jones",
    "Supplier: Bloom & Wild Flowers Ltd",
    "Description",
    "Bridal bouquet £180.00",
    "Buttonholes x 6 £72.00",
    "Subtotal £252.00",
    "VAT (20%) £50.40",
    "Amount due: £302.40",
    "Payment due by 14 February 2027.",
  ],
];
