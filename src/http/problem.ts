import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { InvalidParam, Problem } from '../../schemas/problem.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** An error a handler raises on purpose; the error handler turns it into problem+json. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly invalidParams?: InvalidParam[],
  ) {
    super(detail);
  }
}

/** Builds the RFC 9457 body for a status. */
export function problemOf(status: number, detail: string, instance?: string, invalidParams?: InvalidParam[]): Problem {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(instance ? { instance } : {}),
    ...(invalidParams?.length ? { invalid_params: invalidParams } : {}),
  };
}

/** Sends a problem+json response. */
export function sendProblem(reply: FastifyReply, problem: Problem) {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).header('cache-control', 'no-store').send(JSON.stringify(problem));
}
