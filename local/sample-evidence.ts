import { PDFDocument, StandardFonts } from 'pdf-lib';

/**
 * Real, well-formed evidence files for the demo: PDFs made with pdf-lib (the standard fonts
 * carry no CJK glyphs, so the page text is English; the file names are Chinese).
 */
export async function samplePdf(title: string, lines: readonly string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setProducer('cluster-pipeline demo');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText(title, { x: 56, y: 770, size: 18, font });
  lines.forEach((line, i) => {
    page.drawText(line, { x: 56, y: 730 - i * 20, size: 11, font });
  });
  return doc.save();
}

/** A Windows executable's first bytes under a .pdf name: what a careless or hostile upload looks like. */
export function disguisedExecutable(): Uint8Array {
  const bytes = new Uint8Array(4096);
  bytes.set([0x4d, 0x5a, 0x90, 0x00, 0x03]);
  bytes.set(new TextEncoder().encode('This program cannot be run in DOS mode.'), 78);
  return bytes;
}

/** Clusters a Jilin county might file; the demo takes the first one not filed yet. */
export const DEMO_CLUSTERS = [
  {
    countyCode: '222403',
    clusterName: '敦化市医药产业集群',
    leadingIndustry: '医药健康',
    subSector: '现代中药',
  },
  {
    countyCode: '220882',
    clusterName: '大安市清洁能源装备产业集群',
    leadingIndustry: '新能源装备',
    subSector: '风电装备',
  },
  {
    countyCode: '220581',
    clusterName: '梅河口市医药产业集群',
    leadingIndustry: '医药健康',
    subSector: '化学药',
  },
];

export function sampleRecommendationForm(year: number) {
  return {
    contact: { name: '李明', phone: '0433-6221234', email: 'sme@example.gov.cn' },
    areaKm2: 58.6,
    enterpriseCount: 126,
    smeCount: 118,
    outputByYear: [
      { year: year - 3, output: 41.2 },
      { year: year - 2, output: 46.8 },
      { year: year - 1, output: 52.3 },
    ],
    smeOutputShare: 0.74,
    leadingIndustryShare: 0.81,
    averageGrowthRate: 0.127,
    criteria: {
      'core-competitiveness': '集群以长白山道地药材为基础，中成药品种 300 余个，主导产品市场占有率居全国前列。',
      'tiered-cultivation': '拥有专精特新"小巨人"企业 3 家、省级专精特新中小企业 21 家、创新型中小企业 46 家。',
      'chain-collaboration': '形成种植—提取—制剂—流通的完整链条，本地配套率 62%。',
      'collaborative-innovation': '与吉林大学、长春中医药大学共建研发平台 8 个，近三年授权发明专利 96 件。',
      'digital-transformation': '规上企业数字化改造覆盖率 85%，建成工业互联网平台 1 个。',
      'green-development': '建成省级绿色工厂 6 家，单位产值能耗三年下降 14%。',
      'open-cooperation': '产品出口 12 个国家和地区，引进域外合作项目 17 个。',
      'governance-services': '设立集群发展促进机构，提供融资、人才、检测等一站式服务。',
    },
  };
}
