/**
 * The recognition criteria of the Interim Measures (《促进中小企业特色产业集群发展暂行办法》,
 * 工信部企业〔2022〕119号) and the seven aspects of the typical-case track, as data.
 */
import * as z from 'zod';
import type { Bilingual } from '../schemas/common.ts';

export const CRITERIA = [
  'core-competitiveness',
  'tiered-cultivation',
  'chain-collaboration',
  'collaborative-innovation',
  'digital-transformation',
  'green-development',
  'open-cooperation',
  'governance-services',
] as const;
export const CriterionSchema = z.enum(CRITERIA);
export type Criterion = z.infer<typeof CriterionSchema>;

export const CRITERION_TITLES: Readonly<Record<Criterion, Bilingual>> = {
  'core-competitiveness': { zh: '具有较强核心竞争力', en: 'Strong core competitiveness' },
  'tiered-cultivation': {
    zh: '优质中小企业梯度培育成效显著',
    en: 'Tiered cultivation of quality SMEs (innovative, specialised-refined-distinctive-novel, little giants)',
  },
  'chain-collaboration': {
    zh: '产业链供应链协作高效',
    en: 'Efficient industrial and supply-chain collaboration',
  },
  'collaborative-innovation': { zh: '具有较强协同创新能力', en: 'Strong collaborative innovation' },
  'digital-transformation': { zh: '数字化转型效果明显', en: 'Evident digital transformation' },
  'green-development': { zh: '具有较高绿色化发展水平', en: 'High level of green development' },
  'open-cooperation': { zh: '积极参与产业开放合作', en: 'Active open industrial cooperation' },
  'governance-services': { zh: '具有较强治理和服务能力', en: 'Strong governance and services' },
};

export const TYPICAL_CASE_ASPECTS = [
  'collaboration-sharing',
  'quality-brand',
  'innovation',
  'digital-upgrading',
  'green-transformation',
  'open-cooperation',
  'governance-services',
] as const;
export const TypicalCaseAspectSchema = z.enum(TYPICAL_CASE_ASPECTS);
export type TypicalCaseAspect = z.infer<typeof TypicalCaseAspectSchema>;

export const TYPICAL_CASE_ASPECT_TITLES: Readonly<Record<TypicalCaseAspect, Bilingual>> = {
  'collaboration-sharing': { zh: '协作共享', en: 'Collaboration and sharing' },
  'quality-brand': { zh: '质量品牌', en: 'Quality and brand' },
  innovation: { zh: '创新提升', en: 'Innovation and upgrading' },
  'digital-upgrading': { zh: '数字化升级', en: 'Digital upgrading' },
  'green-transformation': { zh: '绿色化转型', en: 'Green transformation' },
  'open-cooperation': { zh: '开放合作', en: 'Open cooperation' },
  'governance-services': { zh: '治理服务', en: 'Governance and services' },
};
