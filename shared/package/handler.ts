/**
 * The packages function's HTTP face: the JSON API (a province starts a build; its packages and
 * MIIT's view of all; a package with its download link; a verification) and the console page with
 * its two forms (build, verify), which post with the session cookie and come back to the page.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { DomainError } from '../platform/errors.ts';
import { formText, withJsonBody } from '../platform/http/forms.ts';
import { type ApiRequest, httpHandler, logger, signedIn } from '../platform/http/handler.ts';
import { type HttpResult, json } from '../platform/http/respond.ts';
import { langOf } from '../platform/pages/i18n.ts';
import { type PageAnswer, type PageContext, pageContext, problemPage, seeOther } from '../platform/pages/layout.ts';
import { parseOrThrow } from '../platform/parse.ts';
import type { Campaign } from '../rules/campaign.ts';
import { may } from '../platform/auth/policy.ts';
import { findJurisdiction, isProvincialRank } from '../rules/jurisdictions.ts';
import { BuildPackageBodySchema, type PackageDesk, PackageListQuerySchema } from './desk.ts';
import { packagesPage, packagesQuery } from './page.ts';
import { PackageIdSchema } from './records.ts';

export const CampaignPathSchema = z.object({ campaignId: z.string().min(1).max(64) });
export const PackagePathSchema = CampaignPathSchema.extend({ packageId: PackageIdSchema });

export interface PackagesHandlerDeps {
  desk: Pick<PackageDesk, 'build' | 'list' | 'get' | 'verify'>;
  campaigns: {
    list(): Promise<readonly Pick<Campaign, 'campaignId' | 'name' | 'year' | 'tracks'>[]>;
    get(campaignId: string): Promise<Campaign>;
  };
}

const path = <S extends z.ZodType>(schema: S, request: ApiRequest): z.infer<S> =>
  parseOrThrow(schema, request.pathParameters, 'path');

export function makePackagesHandler({ desk, campaigns }: PackagesHandlerDeps) {
  const api = httpHandler({
    'POST /v1/campaigns/{campaignId}/packages': async (request) => {
      const { campaignId } = path(CampaignPathSchema, request);
      const body = parseOrThrow(BuildPackageBodySchema, request.body ?? {}, 'body');
      return json(202, await desk.build(campaignId, body, signedIn(request)));
    },
    'GET /v1/campaigns/{campaignId}/packages': async (request) => {
      const { campaignId } = path(CampaignPathSchema, request);
      const { jurisdiction } = parseOrThrow(PackageListQuerySchema, request.query, 'query');
      return json(200, { packages: await desk.list(campaignId, jurisdiction, signedIn(request)) });
    },
    'GET /v1/campaigns/{campaignId}/packages/{packageId}': async (request) => {
      const { campaignId, packageId } = path(PackagePathSchema, request);
      return json(200, await desk.get(campaignId, packageId, signedIn(request)));
    },
    'POST /v1/campaigns/{campaignId}/packages/{packageId}/verify': async (request) => {
      const { campaignId, packageId } = path(PackagePathSchema, request);
      return json(202, await desk.verify(campaignId, packageId, signedIn(request)));
    },
    'GET /console/packages': async (request) => {
      const principal = signedIn(request);
      const ctx = pageContext(langOf(request.query), 'packages', request.query, principal);
      return consoleAnswer(ctx, async () => {
        const q = packagesQuery(request.query);
        const all = await campaigns.list();
        const campaign = q.campaignId ? await campaigns.get(q.campaignId) : all[0];
        const packages = campaign ? await desk.list(campaign.campaignId, undefined, principal) : [];
        return packagesPage(ctx, request.query, {
          campaigns: all,
          ...(campaign && { campaign }),
          packages,
          mayBuild: may.buildPackage(principal, principal.jurisdiction) && provincialRank(principal.jurisdiction),
        });
      });
    },
    'POST /console/packages': async (request) => {
      const principal = signedIn(request);
      const ctx = pageContext(langOf(request.query), 'packages', request.query, principal);
      return consoleAnswer(ctx, async () => {
        const { campaignId } = parseOrThrow(CampaignPathSchema, { campaignId: request.query.campaignId }, 'query');
        const body = parseOrThrow(BuildPackageBodySchema, request.body ?? {}, 'body');
        const view = await desk.build(campaignId, body, principal);
        return seeOther(ctx.link('packages', { campaignId, started: view.packageId }));
      });
    },
    'POST /console/packages/{packageId}/verify': async (request) => {
      const principal = signedIn(request);
      const ctx = pageContext(langOf(request.query), 'packages', request.query, principal);
      return consoleAnswer(ctx, async () => {
        const { campaignId, packageId } = parseOrThrow(
          PackagePathSchema,
          { campaignId: request.query.campaignId, packageId: request.pathParameters.packageId },
          'query',
        );
        await desk.verify(campaignId, packageId, principal);
        return seeOther(ctx.link('packages', { campaignId, verifying: packageId }));
      });
    },
  });

  // The console's forms post application/x-www-form-urlencoded; the operations read JSON.
  return async (event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult> => {
    const text = event.routeKey.startsWith('POST /console/') ? formText(event) : undefined;
    if (text === undefined) return api(event, context);
    return api(withJsonBody(event, Object.fromEntries(new URLSearchParams(text))), context);
  };
}

const provincialRank = (code: string) => {
  const place = findJurisdiction(code);
  return place !== undefined && isProvincialRank(place.rank);
};

async function consoleAnswer(ctx: PageContext, render: () => Promise<PageAnswer>): Promise<PageAnswer> {
  try {
    return await render();
  } catch (error) {
    if (!(error instanceof DomainError)) {
      logger.error('packages page failed', error as Error);
      return problemPage(500, ctx, 'internal', ctx.say('internal'));
    }
    const details = (error.details ?? []).map((d) => ({ field: d.field, message: d.message }));
    return problemPage(error.status, ctx, error.status === 403 ? 'forbidden' : 'refused', error.message, details);
  }
}
