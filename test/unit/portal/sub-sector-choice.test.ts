import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import { portalActions, portalPage } from '../../../shared/portal/index.ts';
import { APP_ID, portalRequest, portalWorld } from './fixtures.ts';

/*
 * The sub-sector on the portal's form: where the province lists its sub-sectors (Shanxi, in the
 * demo campaign) the county picks one from a select; elsewhere (Jilin) it stays a text input.
 */

const taiyuanApplicant: Principal = { sub: 'applicant-140105', role: 'applicant', jurisdiction: '140105' };
const inTaiyuan = { countyCode: '140105', provincialCode: '140000', cityCode: '140100', subSector: '煤机装备' };

describe('the sub-sector field', () => {
  it('is a select of Shanxi’s listed sub-sectors, the saved one selected', async () => {
    const world = portalWorld(inTaiyuan);
    const { statusCode, body } = await portalPage(portalRequest('edit', { id: APP_ID }, taiyuanApplicant), world.deps);
    expect(statusCode).toBe(200);
    expect(body).toContain('<select id="f-subSector" name="subSector"');
    expect(body).toContain('<option value="煤机装备" selected>煤机装备</option>');
    expect(body).toContain('<option value="特种钢">特种钢</option>');
    expect(body).not.toContain('id="f-subSector" name="subSector" type="text"');
  });

  it('saves a listed choice, and shows the API’s refusal of an unlisted one beside the field', async () => {
    const world = portalWorld(inTaiyuan);
    const save = (subSector: string) =>
      portalActions(world.deps).save(
        portalRequest(undefined, {}, taiyuanApplicant, {
          pathParameters: { applicationId: APP_ID },
          body: { clusterName: '太原市煤机装备产业集群', leadingIndustry: '装备制造', subSector, revision: '0' },
        }),
      );
    const refused = await save('煤矿机械装备');
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('id="f-subSector-error"');
    expect(world.records.applications.get(APP_ID)?.subSector).toBe('煤机装备');

    const saved = await save('特种钢');
    expect(saved.statusCode).toBe(303);
    expect(world.records.applications.get(APP_ID)?.subSector).toBe('特种钢');
  });

  it('stays free text where no list exists (Jilin)', async () => {
    const { body } = await portalPage(portalRequest('edit', { id: APP_ID }), portalWorld().deps);
    expect(body).toContain('id="f-subSector" name="subSector" type="text"');
    expect(body).not.toContain('<select id="f-subSector"');
  });
});
