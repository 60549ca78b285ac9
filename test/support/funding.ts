/** A loan program as a coordinator enters it: an admin API body, or fields to create straight in the database. */
export const LOAN_PROGRAM = {
  name: 'قروض المشاريع الصغيرة',
  provider: 'فاتن للإقراض',
  kind: 'LOAN',
  currency: 'USD',
  minAmountMinor: 50_000,
  maxAmountMinor: 500_000,
  eligibility: 'عضوة في جمعية تعاونية مسجّلة',
  howToApply: 'تعبئة نموذج الطلب لدى المنسّقة',
} as const;
