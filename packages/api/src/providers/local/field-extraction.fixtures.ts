/** Realistic inquiries for the field-extraction tests, with what a careful reader would extract. */

export const ukFloristInquiry = `Subject: Wedding flowers enquiry – Emma & Liam

Hi there,

We're Emma & Liam and we're getting married on Saturday 12 June 2027! Our ceremony will be at St Mary's Church, Great Bardfield, and the reception is at Gosfield Hall afterwards.

We're expecting around 120 guests and our budget for flowers is roughly £2,500. The ceremony starts at 2pm. We'd love a rustic boho theme with lots of wildflowers and eucalyptus.

You can reach me on 07700 900123 or emma.hart@example.co.uk.

Many thanks,
Emma Hart`;

export const usPhotographerInquiry = `Hello!

My name is Jessica Miller and my fiancé is Daniel Thompson. We are getting married on October 9th, 2027 at The Grand Hotel in Chicago, with the reception to follow in the Crystal Ballroom.

Guest count: 85
Ceremony time: 4:30 PM
Budget: $6k for photography
Phone: (312) 555-0147
Email: jess.miller@example.com

We're going for a classic black tie look. Do you have availability?

Thanks so much,
Jess`;

export const questionnaireAnswers = `WEDDING QUESTIONNAIRE – RESPONSES

Partner 1 name: Aisha Khan
Partner 2 name: Daniel O'Brien
Wedding date: 18/09/2027
Ceremony venue: Leeds Town Hall
Reception venue: The Corn Exchange, Leeds
Estimated number of guests: 140
Ceremony start time: 13:30
Theme / colours: emerald green and gold
Overall budget: 18,500 EUR
Best email: aisha.khan@example.org
Mobile: +44 7700 900456
Anything else? We'd like a short, relaxed ceremony.`;

export const messyInquiry = `hiya!!! me and my fiance are gettin maried 3rd sept 2027 , venue: the old barn at hinton (its lush)
bride: chloe  / groom: jake
roughly 90 ppl, budjet is about 8k pounds max
cermony @ 1.30pm i think??
txt me 07700-900-789 or chloe_b123@gmail.com
theme -> festival / boho`;

export const plannerForward = `From: Olivia Bennett <olivia@bennettweddings.co.uk>
Sent: 3 March 2026 09:14
To: bookings@example.com
Subject: Enquiry for Emma Smith and Liam Jones

Good morning,

I'm planning a wedding for my clients Emma Smith and Liam Jones. The wedding date is 12/06/2027 and the ceremony and reception will both be at Hengrave Hall (Venue: Hengrave Hall, Bury St Edmunds).

Ceremony at 14:30, guests arriving from 14:00. Guest numbers are around 150 people.
Their budget of £25,000 covers everything; please quote for the full day.

Best wishes,
Olivia
+44 (0)20 7946 0958`;
